import Foundation
import Hummingbird
import HummingbirdTesting
import KithDomain
import KithTestSupport
import KithWeb
import Logging
import Testing

/// Stored XSS (quality gate 6): markup planted in every text field a member can write — profile,
/// affiliation, contact, interaction, follow-up, event, connection note, tag — and then every page
/// the router serves, read by the author and by other members, must show it as text.
@Suite struct StoredXSSTests {
    static let script = #"<script>alert("kith")</script>"#
    static let attribute = #""><img src=x onerror=alert(1)>"#
    static let payload = script + " " + attribute

    @Test func markupInEveryTextFieldRendersAsTextOnEveryPage() async throws {
        try await withMigratedStore { store async throws in
            let configuration = AppConfiguration(registration: .open, bcryptCost: 4, logLevel: .critical)
            let services = testServices(store)
            let pages = buildRouter(services: services, configuration: configuration).routes.filter {
                $0.method == .get && !$0.path.description.hasPrefix("/api/") && !$0.path.description.hasPrefix("/calendar/")
            }.map { $0.path.description.replacing(/\{([a-z]+)\}/) { ":" + $0.output.1 } }
            #expect(pages.count >= 30)

            let app = try await buildApplication(configuration: configuration, store: store)
            try await app.test(.router) { raw in
                let client = Client(client: raw)
                let ids = try await Self.plant(client)
                var checked = 0
                for reader in ["ada", "bob"] {
                    let session = try await client.signIn(reader)
                    for page in pages {
                        let path = page.replacingOccurrences(of: ":id", with: page.contains("/contacts/") ? ids.contact : ids.event)
                            .replacingOccurrences(of: ":handle", with: "ada")
                        let reply = try await client.send(.get, path, cookies: ["kith_session": session])
                        #expect(reply.status < 500, "\(path) as \(reader)")
                        guard reply.headers[.contentType]?.hasPrefix("text/html") == true else { continue }
                        #expect(!reply.text.contains("<script>alert"), "\(path) as \(reader) renders a planted <script>")
                        #expect(!reply.text.contains("<img src=x"), "\(path) as \(reader) renders a planted <img>")
                        checked += 1
                    }
                }
                #expect(checked >= 40)
                // The payload did reach the pages, escaped: the checks above could have failed.
                let session = try await client.signIn("ada")
                let contact = try await client.send(.get, "/contacts/\(ids.contact)", cookies: ["kith_session": session]).text
                #expect(contact.contains("&lt;script&gt;alert("))
                let event = try await client.send(.get, "/events/\(ids.event)", cookies: ["kith_session": session]).text
                #expect(event.contains("&lt;img src=x onerror=alert(1)&gt;"))
            }
        }
    }

    /// Ada writes the payload everywhere she can; Bob sends her a note; both go to her event.
    static func plant(_ client: Client) async throws -> (contact: String, event: String) {
        let ada = try await client.register("ada")
        let bob = try await client.register("bob")
        let text = try jsonString(payload)
        // Fields capped at 40–60 characters get the shorter of the two.
        let short = try jsonString(script)
        let profile = try await client.send(
            .patch,
            "/api/v1/me/profile",
            token: ada,
            json: #"""
                {"name":\#(text),"headline":\#(text),"bio":\#(text),"location":\#(text),"industry":\#(text),
                 "skills":[\#(short)],"interests":[\#(short)]}
                """#
        )
        #expect(profile.status == 200, "\(profile.text)")
        let affiliation = try await client.send(
            .post,
            "/api/v1/me/affiliations",
            token: ada,
            json: #"{"kind":"employer","organization":\#(text),"title":\#(text),"cohort":\#(short)}"#
        )
        #expect(affiliation.status == 201, "\(affiliation.text)")
        let contact = try await client.send(
            .post,
            "/api/v1/contacts",
            token: ada,
            json: #"""
                {"name":\#(text),"organization":\#(text),"title":\#(text),"how_we_met":\#(text),"notes":\#(text),
                 "tags":["x<b>y"],"member":"bob"}
                """#
        )
        #expect(contact.status == 201, "\(contact.text)")
        let contactID = contact.json["id"] as? String ?? ""
        _ = try await client.send(
            .post,
            "/api/v1/contacts/\(contactID)/interactions",
            token: ada,
            json: #"{"kind":"help_given","help":"advice","occurred_at":"\#(Moment.format(Date()))","note":\#(text)}"#
        )
        _ = try await client.send(
            .post,
            "/api/v1/contacts/\(contactID)/follow-ups",
            token: ada,
            json: #"{"due_at":"\#(Moment.format(Date().addingTimeInterval(-60)))","text":\#(text)}"#
        )
        let start = Date().addingTimeInterval(3_600)
        let event = try await client.send(
            .post,
            "/api/v1/events",
            token: ada,
            json: #"""
                {"title":\#(text),"description":\#(text),"format":"meetup","starts_at":"\#(Moment.format(start))",
                 "ends_at":"\#(Moment.format(start.addingTimeInterval(7_200)))","timezone":"UTC","location":\#(text)}
                """#
        )
        #expect(event.status == 201, "\(event.text)")
        let eventID = event.json["id"] as? String ?? ""
        for token in [ada, bob] {
            _ = try await client.send(.put, "/api/v1/events/\(eventID)/rsvp", token: token, json: #"{"status":"going"}"#)
        }
        let note = try await client.send(.post, "/api/v1/connections/requests", token: bob, json: #"{"to":"ada","note":\#(text)}"#)
        #expect(note.status == 201, "\(note.text)")
        return (contactID, eventID)
    }

    static func jsonString(_ value: String) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import KithApp
import KithDomain
import KithTestSupport
import KithWeb
import Logging
import Testing

/// Stored XSS (quality gate 6): markup planted in every text field a member can write — profile,
/// affiliation, contact, interaction, follow-up, event, connection note, tag — and in what a
/// browser sends (the URL fields, within what their rules allow; the query string; the cookies),
/// and then every page the router serves, read by the author and by other members, must show it
/// as text: no planted element, and every tag's attributes well formed and of known names (a
/// value that broke out of its quotes would leave a stray attribute behind).
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
                        let id =
                            page.contains("/contacts/")
                            ? ids.contact
                            : page.contains("/messages/")
                                ? ids.conversation : page.contains("/introductions/") ? ids.introduction : ids.event
                        let path = page.replacingOccurrences(of: ":id", with: id)
                            .replacingOccurrences(of: ":handle", with: "ada")
                        // Markup in the query string and in a planted CSRF cookie too.
                        let query = "?q=\(Self.queryPayload)&next=\(Self.queryPayload)&format=\(Self.queryPayload)&tag=\(Self.queryPayload)"
                        let reply = try await client.send(
                            .get,
                            path + query,
                            cookies: ["kith_session": session, "kith_csrf": Self.attribute]
                        )
                        #expect(reply.status < 500, "\(path) as \(reader)")
                        guard reply.headers[.contentType]?.hasPrefix("text/html") == true else { continue }
                        #expect(!reply.text.contains("<script>alert"), "\(path) as \(reader) renders a planted <script>")
                        #expect(!reply.text.contains("<img src=x"), "\(path) as \(reader) renders a planted <img>")
                        for problem in Self.attributeProblems(reply.text) { Issue.record("\(path) as \(reader): \(problem)") }
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
                // Messages: formatting applied, markup still text, and no javascript: link.
                let thread = try await client.send(.get, "/messages/\(ids.conversation)", cookies: ["kith_session": session]).text
                #expect(thread.contains("<strong>&lt;script&gt;alert("), "the message's bold markup")
                #expect(thread.contains("<li>"), "the message's list")
                let lookingPage = try await client.send(.get, "/me/looking", cookies: ["kith_session": session]).text
                #expect(lookingPage.contains("&lt;script&gt;alert("), "the looking signal's roles")
                let appPasswords = try await client.send(.get, "/me/app-passwords", cookies: ["kith_session": session]).text
                #expect(appPasswords.contains("&lt;script&gt;alert("), "the app password's label")
                // The help ask's title, body, skills and the offer's note reached the asker's page, as text.
                let askPage = try await client.send(.get, "/asks/\(ids.ask)", cookies: ["kith_session": session]).text
                #expect(askPage.contains("<strong>&lt;script&gt;alert("), "the ask's bold markup")
                #expect(askPage.contains("&lt;img src=x onerror=alert(1)&gt;"), "the offer's note")
                // The introduction's blurb, ask and note reached its target's page, as text.
                let bobSession = try await client.signIn("bob")
                let introduction = try await client.send(.get, "/introductions/\(ids.introduction)", cookies: ["kith_session": bobSession])
                    .text
                #expect(introduction.contains("<strong>&lt;script&gt;alert("), "the blurb's bold markup")
                #expect(introduction.components(separatedBy: "&lt;img src=x onerror=alert(1)&gt;").count >= 3, "the ask and the note")
                #expect(!thread.contains("javascript:alert(1)\""), "a javascript: address became a link")
                // The URL fields arrived too, escaped inside their attributes.
                #expect(event.contains(#"href="https://meet.example/room?x=1&amp;y=%22%3E%3Cb%3E""#), "the event's online link")
                let profile = try await client.send(.get, "/in/ada", cookies: ["kith_session": try await client.signIn("bob")]).text
                #expect(profile.contains(#"href="https://ada.example/?a=1&amp;b=%3Cscript%3E""#), "the profile's website")
            }
        }
    }

    /// The attribute check itself catches what it is there for.
    @Test func theAttributeCheckSeesABreakout() {
        #expect(Self.attributeProblems(#"<a class="x" href="/in/ada" aria-current="page">ok</a><input required value="">"#).isEmpty)
        #expect(!Self.attributeProblems(#"<a href="https://x.example/"><meta http-equiv="refresh" content="0"><a x="">"#).isEmpty)
        #expect(!Self.attributeProblems(#"<img src="x" onerror=alert(1)>"#).isEmpty)
        #expect(!Self.attributeProblems(#"<a href="x" onclick="alert(1)">"#).isEmpty)
    }

    /// Ada writes the payload everywhere she can; Bob sends her a note; both go to her event; Ada
    /// asks Cyd to introduce her to Bob, and Cyd forwards it with a note.
    static func plant(
        _ client: Client
    ) async throws -> (
        contact: String, event: String, conversation: String, introduction: String, ask: String
    ) {
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
                 "skills":[\#(short)],"interests":[\#(short)],"website":"https://ada.example/?a=1&b=%3Cscript%3E",
                 "phone":"+1 (555) 010-0000","visibility":{"contact":"community"}}
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
                 "ends_at":"\#(Moment.format(start.addingTimeInterval(7_200)))","timezone":"UTC","location":\#(text),
                 "online_url":"https://meet.example/room?x=1&y=%22%3E%3Cb%3E"}
                """#
        )
        #expect(event.status == 201, "\(event.text)")
        let eventID = event.json["id"] as? String ?? ""
        for token in [ada, bob] {
            _ = try await client.send(.put, "/api/v1/events/\(eventID)/rsvp", token: token, json: #"{"status":"going"}"#)
        }
        let note = try await client.send(.post, "/api/v1/connections/requests", token: bob, json: #"{"to":"ada","note":\#(text)}"#)
        #expect(note.status == 201, "\(note.text)")
        // A conversation both readers are in, with the payload as a message and as formatting.
        let formatted = try jsonString(payload + "\n\n- **" + script + "** [x](javascript:alert(1)) *" + attribute + "*")
        let conversation = try await client.send(.post, "/api/v1/conversations", token: bob, json: #"{"to":["ada"],"body":\#(text)}"#)
        #expect(conversation.status == 201, "\(conversation.text)")
        let conversationID = conversation.json["id"] as? String ?? ""
        _ = try await client.send(.post, "/api/v1/conversations/\(conversationID)/messages", token: ada, json: #"{"body":\#(formatted)}"#)
        let cyd = try await client.register("cyd")
        try await ConnectionsAPITests.connect(client, from: "ada", ada, to: "cyd", cyd)
        try await ConnectionsAPITests.connect(client, from: "cyd", cyd, to: "bob", bob)
        let introduction = try await client.send(
            .post,
            "/api/v1/introductions",
            token: ada,
            json: #"{"target":"bob","via":"cyd","purpose":"advice","blurb":\#(formatted),"ask":\#(text)}"#
        )
        #expect(introduction.status == 201, "\(introduction.text)")
        let introductionID = introduction.json["id"] as? String ?? ""
        let forwarded = try await client.send(
            .post,
            "/api/v1/introductions/\(introductionID)/forward",
            token: cyd,
            json: #"{"note":\#(text)}"#
        )
        #expect(forwarded.status == 200, "\(forwarded.text)")
        // A help ask to Ada's connections (it reaches Cyd), and Cyd's offer, all carrying the payload.
        let ask = try await client.send(
            .post,
            "/api/v1/asks",
            token: ada,
            json:
                #"{"kind":"advice","title":\#(short),"body":\#(formatted),"audience":"connections","skills":[\#(short)],"organization":\#(short)}"#
        )
        #expect(ask.status == 201, "\(ask.text)")
        let askID = ask.json["id"] as? String ?? ""
        let offer = try await client.send(.post, "/api/v1/asks/\(askID)/offers", token: cyd, json: #"{"note":\#(text)}"#)
        #expect(offer.status == 201, "\(offer.text)")
        // Ada is looking for work, in words that carry the payload (her own page and home show them).
        let looking = try await client.send(
            .put,
            "/api/v1/me/looking",
            token: ada,
            json: #"{"active":true,"roles":[\#(short)],"locations":[\#(short)],"circle":["cyd"]}"#
        )
        #expect(looking.status == 200, "\(looking.text)")
        // An app password labelled with the payload (the label is shown on her app-passwords page).
        let appPassword = try await client.send(.post, "/api/v1/me/app-passwords", token: ada, json: #"{"label":\#(short)}"#)
        #expect(appPassword.status == 201, "\(appPassword.text)")
        return (contactID, eventID, conversationID, introductionID, askID)
    }

    /// The payload as a query-string value (percent-encoded, as a browser sends it).
    static let queryPayload: String = {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return payload.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }()

    /// Attribute names Kith's pages use; anything else in a tag means a value broke out of its quotes.
    static let knownAttributes: Set<String> = [
        "lang", "charset", "name", "content", "rel", "href", "type", "class", "id", "role", "method", "action", "value", "for",
        "required", "autocomplete", "rows", "selected", "checked", "open", "novalidate", "placeholder", "title", "datetime",
        "hidden", "disabled", "min", "max", "step", "maxlength", "minlength", "accept", "enctype", "src", "alt", "width",
        "height", "viewbox", "xmlns", "fill", "d", "aria-label", "aria-current", "aria-invalid", "aria-describedby", "aria-hidden",
        "aria-live", "aria-labelledby", "aria-controls", "multiple", "colspan", "scope", "x", "y", "cx", "cy", "r", "stroke",
        "stroke-width", "font-size", "text-anchor", "transform", "points", "focusable", "size", "inputmode", "pattern", "defer",
    ]

    /// Every tag's attributes, read strictly: `name` or `name="value"` with no `"` or `<` inside
    /// the value; a stray name, an unquoted value or an event handler is a problem.
    static func attributeProblems(_ html: String) -> [String] {
        var problems: [String] = []
        for tag in html.matches(of: /<([a-zA-Z][a-zA-Z0-9]*)([^<>]*)>/) {
            var rest = Substring(tag.output.2)
            if rest.hasSuffix("/") { rest = rest.dropLast() }
            while !rest.isEmpty {
                if let match = rest.prefixMatch(of: /\s+([a-zA-Z][a-zA-Z0-9:-]*)(="[^"<]*")?/) {
                    let name = match.output.1.lowercased()
                    if !knownAttributes.contains(name) && !name.hasPrefix("data-") {
                        problems.append("<\(tag.output.1)> has an unknown attribute \(name)")
                    }
                    rest = rest[match.range.upperBound...]
                } else if rest.allSatisfy(\.isWhitespace) {
                    break
                } else {
                    problems.append("<\(tag.output.1)> has a malformed attribute list: \(rest.prefix(60))")
                    break
                }
            }
        }
        return problems
    }

    static func jsonString(_ value: String) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }
}

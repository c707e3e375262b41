import Foundation
import Hummingbird
import HummingbirdTesting
import KithApp
import KithDomain
import KithStorage
import KithTestSupport
import Logging
import Testing

@testable import KithWeb

/// The notification centre, the choices per kind, and one-click unsubscribe.
@Suite struct NotificationsTests {
    /// The app over HTTP and, on the same store, services whose mail is recorded.
    func withAppAndMail(_ body: @escaping @Sendable (Client, Services, RecordingMailTransport) async throws -> Void) async throws {
        try await withMigratedStore { store async throws in
            let configuration = AppConfiguration(registration: .open, bcryptCost: 4, logLevel: .critical)
            let app = try await buildApplication(configuration: configuration, store: store)
            let mail = RecordingMailTransport()
            let services = testServices(store, clock: .ahead(ofRealTimeBy: 60), mail: mail)
            try await app.test(.router) { client in try await body(Client(client: client), services, mail) }
        }
    }

    @Test func choicesHaveDefaultsAndRefuseWhatIsNotAChoice() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let settings = try await client.send(.get, "/api/v1/me/notification-settings", token: ada).json
            #expect(Set(settings.keys) == Set(NotificationKind.allCases.map(\.rawValue)))
            #expect((settings["message"] as? [String: Any])?["email"] as? String == "digest")
            #expect((settings["introduction"] as? [String: Any])?["email"] as? String == "immediate")
            #expect((settings["security"] as? [String: Any])?["email"] as? String == "immediate")

            let changed = try await client.send(
                .put,
                "/api/v1/me/notification-settings",
                token: ada,
                json: #"{"message":{"email":"immediate"},"group":{"in_app":false}}"#
            )
            #expect(changed.status == 200, "\(changed.text)")
            #expect((changed.json["message"] as? [String: Any])?["email"] as? String == "immediate")
            #expect((changed.json["group"] as? [String: Any])?["in_app"] as? Bool == false)
            #expect((changed.json["group"] as? [String: Any])?["email"] as? String == "digest", "an untouched part stays")

            let cases: [(String, String)] = [
                (#"{"gossip":{"email":"off"}}"#, "gossip"), (#"{"message":{"email":"sometimes"}}"#, "message.email"),
                (#"{"security":{"email":"off"}}"#, "security.email"), (#"{"message":{"in_app":"yes"}}"#, "message.in_app"),
            ]
            for (json, field) in cases {
                let reply = try await client.send(.put, "/api/v1/me/notification-settings", token: ada, json: json)
                #expect(reply.status == 422, "\(json) → \(reply.text)")
                #expect(reply.text.contains(#""field":"\#(field)""#), "\(json) → \(reply.text)")
            }
            // Nothing half-stored.
            let after = try await client.send(.get, "/api/v1/me/notification-settings", token: ada).json
            #expect((after["security"] as? [String: Any])?["email"] as? String == "immediate")
            #expect((after["message"] as? [String: Any])?["email"] as? String == "immediate")
        }
    }

    @Test func theCentreShowsEveryKindWithReadStateAndHonoursInAppChoices() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let bob = try await client.register("bob")
            _ = try await MessagesTests.start(client, bob, to: ["ada"], "Hello Ada")
            let listed = try await client.send(.get, "/api/v1/notifications", token: ada)
            let items = listed.json["items"] as? [[String: Any]] ?? []
            #expect(items.count == 1)
            #expect(items.first?["kind"] as? String == "message")
            #expect(items.first?["read_at"] is NSNull)
            #expect((items.first?["url"] as? String)?.hasPrefix("/messages/") == true)
            #expect(listed.json["unread"] as? Int == 1)
            let id = items.first?["id"] as? String ?? ""

            // Another member cannot mark it; its owner can.
            #expect(try await client.send(.post, "/api/v1/notifications/\(id)/read", token: bob).status == 404)
            #expect(try await client.send(.post, "/api/v1/notifications/\(id)/read", token: ada).status == 204)
            let unread = try await client.send(.get, "/api/v1/notifications?unread=true", token: ada).json
            #expect((unread["items"] as? [Any])?.isEmpty == true)
            #expect(unread["unread"] as? Int == 0)

            // Turning messages off in the app hides them from the centre.
            _ = try await client.send(.put, "/api/v1/me/notification-settings", token: ada, json: #"{"message":{"in_app":false}}"#)
            #expect((try await client.send(.get, "/api/v1/notifications", token: ada).json["items"] as? [Any])?.isEmpty == true)

            let session = try await client.signIn("ada")
            let page = try await client.send(.get, "/me/notifications", cookies: ["kith_session": session]).text
            #expect(page.contains(#"name="message.email""#))
            #expect(page.contains("Always emailed at once"))
        }
    }

    /// A request reaches its recipient's centre with the note; a withdrawn one leaves it; an
    /// accepted one tells the sender; an ignored one tells nobody anything.
    @Test func connectionRequestsNotifyAndAnIgnoredOneTellsNobody() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let bob = try await client.register("bob")
            let cleo = try await client.register("cleo")
            func centre(_ token: String) async throws -> [[String: Any]] {
                try await client.send(.get, "/api/v1/notifications", token: token).json["items"] as? [[String: Any]] ?? []
            }
            func ask(_ from: String, _ to: String, _ note: String) async throws -> String {
                let sent = try await client.send(
                    .post,
                    "/api/v1/connections/requests",
                    token: from,
                    json: #"{"to":"\#(to)","note":"\#(note)"}"#
                )
                #expect(sent.status == 201, "\(sent.text)")
                return sent.json["id"] as? String ?? ""
            }

            let first = try await ask(bob, "ada", "We met at the reunion")
            let notices = try await centre(ada)
            #expect(notices.count == 1)
            #expect(notices.first?["kind"] as? String == "connection_request")
            #expect((notices.first?["title"] as? String)?.contains("Bob") == true)
            #expect((notices.first?["body"] as? String)?.contains("We met at the reunion") == true)
            #expect(notices.first?["url"] as? String == "/network")

            // Withdrawn before Ada read it: she is not asked any more.
            #expect(try await client.send(.delete, "/api/v1/connections/requests/\(first)", token: bob).status == 204)
            #expect(try await centre(ada).isEmpty)

            // Ignored: Bob hears nothing, now or later.
            let second = try await ask(bob, "ada", "Second try")
            #expect(try await client.send(.post, "/api/v1/connections/requests/\(second)/ignore", token: ada).status == 204)
            #expect(try await centre(bob).isEmpty)

            // Accepted: Cleo is told, with a link to Ada's profile.
            let third = try await ask(cleo, "ada", "Hello")
            #expect(try await client.send(.post, "/api/v1/connections/requests/\(third)/accept", token: ada).status == 200)
            let told = try await centre(cleo)
            #expect(told.count == 1)
            #expect((told.first?["title"] as? String)?.contains("accepted") == true)
            #expect(told.first?["url"] as? String == "/in/ada")
        }
    }

    @Test func aKindEmailedAtOnceCarriesAOneClickUnsubscribeThatWorksOnce() async throws {
        try await withAppAndMail { client, services, mail in
            let ada = try await client.register("ada")
            let bob = try await client.register("bob")
            // Messages go to the weekly email by default: nothing is sent at once.
            _ = try await MessagesTests.start(client, bob, to: ["ada"], "First")
            _ = try await services.reminders.deliverMail()
            #expect(mail.sent.filter { $0.to == "ada@example.org" }.isEmpty)

            // Ada wants messages at once.
            _ = try await client.send(.put, "/api/v1/me/notification-settings", token: ada, json: #"{"message":{"email":"immediate"}}"#)
            let conversation = Self.firstConversation(try await client.send(.get, "/api/v1/conversations?box=requests", token: ada))
            _ = try await client.send(.post, "/api/v1/conversations/\(conversation)/read", token: ada)
            _ = try await client.send(.post, "/api/v1/conversations/\(conversation)/accept", token: ada)
            _ = try await client.send(.post, "/api/v1/conversations/\(conversation)/read", token: ada)
            _ = try await client.send(
                .post,
                "/api/v1/conversations/\(conversation)/messages",
                token: bob,
                json: #"{"body":"private-words-4410"}"#
            )
            _ = try await services.reminders.deliverMail()
            let sent = try #require(mail.sent.last { $0.to == "ada@example.org" })
            #expect(sent.kind == .message)
            #expect(!sent.body.contains("private-words-4410"), "the words of a message are never emailed")
            let link = try #require(sent.unsubscribeURL)
            let wire = MailTransports.message(sent, from: "Kith <no-reply@kith.example>")
            #expect(wire.contains("List-Unsubscribe: <\(link)>\r\n"))
            #expect(wire.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"))
            #expect(wire.contains("Content-Type: multipart/alternative"))
            #expect(wire.contains("Content-Type: text/html; charset=utf-8"))

            let path = String(link.dropFirst("http://127.0.0.1:8080".count))
            // Opening the link changes nothing (mail scanners open links).
            let page = try await client.send(.get, path)
            #expect(page.status == 200)
            #expect(page.text.contains("Stop emails about messages?"))
            #expect(
                (try await client.send(.get, "/api/v1/me/notification-settings", token: ada).json["message"] as? [String: Any])?["email"]
                    as? String == "immediate"
            )
            // The mail program's one-click POST, with no cookie and no form token.
            let done = try await client.send(
                .post,
                path,
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: "List-Unsubscribe=One-Click"
            )
            #expect(done.status == 200, "\(done.text.prefix(300))")
            #expect(
                (try await client.send(.get, "/api/v1/me/notification-settings", token: ada).json["message"] as? [String: Any])?["email"]
                    as? String == "off"
            )
            let again = try await client.send(.post, path, body: "List-Unsubscribe=One-Click")
            #expect(again.status == 409)
            #expect(again.text.contains(#"id="token-error""#))
            // A forged or altered token changes nothing and says so.
            let forged = try await client.send(.post, String(path.dropLast(2)) + "xx", body: "List-Unsubscribe=One-Click")
            #expect(forged.status == 422)
            #expect(forged.text.contains(#"id="token-error""#))
            #expect(try await client.send(.get, "/unsubscribe/not-a-token").status == 422)
        }
    }

    @Test func securityMailIsAlwaysSentAndHasNoUnsubscribe() async throws {
        try await withAppAndMail { client, services, mail in
            _ = try await client.register("ada")
            try await services.accounts.requestPasswordReset(email: "ada@example.org", clientAddress: "x")
            _ = try await services.reminders.deliverMail()
            let reset = try #require(mail.sent.last { $0.to == "ada@example.org" })
            #expect(reset.kind == .security)
            #expect(reset.unsubscribeURL == nil)
        }
    }

    static func firstConversation(_ reply: Client.Reply) -> String {
        ((reply.json["items"] as? [[String: Any]])?.first?["id"] as? String) ?? ""
    }
}

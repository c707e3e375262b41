import Foundation
import Hummingbird
import KithDomain
import KithTestSupport
import KithWeb
import Testing

/// Conversations through the API and the pages, on whichever store the suite runs on (SQLite, or
/// PostgreSQL under scripts/with-test-postgres.sh).
@Suite struct MessagesTests {
    static func start(_ client: Client, _ token: String, to handles: [String], _ body: String) async throws -> Client.Reply {
        let list = handles.map { "\"\($0)\"" }.joined(separator: ",")
        return try await client.send(.post, "/api/v1/conversations", token: token, json: #"{"to":[\#(list)],"body":"\#(body)"}"#)
    }

    static func items(_ reply: Client.Reply) -> [[String: Any]] { reply.json["items"] as? [[String: Any]] ?? [] }

    @Test func connectedMembersTalkInOneDirectConversationWithReadState() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let bob = try await client.register("bob")
            try await ConnectionsAPITests.connect(client, from: "ada", ada, to: "bob", bob)

            let started = try await Self.start(client, ada, to: ["bob"], "Hello Bob")
            #expect(started.status == 201, "\(started.text)")
            #expect(started.json["kind"] as? String == "direct")
            #expect(started.json["state"] as? String == "active")
            #expect(started.json["unread_count"] as? Int == 0)
            let id = started.json["id"] as? String ?? ""
            // Writing to Bob again continues the same conversation.
            let again = try await Self.start(client, ada, to: ["bob"], "Are you coming on Thursday?")
            #expect(again.json["id"] as? String == id)

            let inbox = try await client.send(.get, "/api/v1/conversations", token: bob)
            #expect(Self.items(inbox).count == 1)
            #expect(Self.items(inbox).first?["unread_count"] as? Int == 2)
            #expect((Self.items(inbox).first?["last_message"] as? [String: Any])?["body"] as? String == "Are you coming on Thursday?")
            #expect(try await client.send(.get, "/api/v1/conversations?box=requests", token: bob).text.contains(#""items":[]"#))

            // Oldest first, a page at a time.
            for index in 1...3 {
                let sent = try await client.send(
                    .post,
                    "/api/v1/conversations/\(id)/messages",
                    token: bob,
                    json: #"{"body":"Reply \#(index)"}"#
                )
                #expect(sent.status == 201, "\(sent.text)")
                #expect((sent.json["author"] as? [String: Any])?["handle"] as? String == "bob")
            }
            let first = try await client.send(.get, "/api/v1/conversations/\(id)/messages?limit=2", token: ada)
            #expect(Self.items(first).map { $0["body"] as? String ?? "" } == ["Hello Bob", "Are you coming on Thursday?"])
            let next = first.json["next"] as? String ?? ""
            let second = try await client.send(.get, "/api/v1/conversations/\(id)/messages?limit=2&after=\(next)", token: ada)
            #expect(Self.items(second).map { $0["body"] as? String ?? "" } == ["Reply 1", "Reply 2"])

            // Bob's replies read the conversation for him; Ada has three unread until she reads.
            let bobsView = try await client.send(.get, "/api/v1/conversations/\(id)", token: bob)
            #expect(bobsView.json["unread_count"] as? Int == 0)
            #expect(try await client.send(.get, "/api/v1/conversations/\(id)", token: ada).json["unread_count"] as? Int == 3)
            #expect(try await client.send(.post, "/api/v1/conversations/\(id)/read", token: ada).status == 204)
            #expect(try await client.send(.get, "/api/v1/conversations/\(id)", token: ada).json["unread_count"] as? Int == 0)

            // Bob was told, without the words, once per unread stretch.
            let notifications = try await client.send(.get, "/api/v1/notifications", token: bob).text
            #expect(notifications.contains("New message from"))
            #expect(!notifications.contains("Hello Bob") && !notifications.contains("Thursday"))
        }
    }

    @Test func aFirstMessageToAStrangerIsARequestAndIgnoringIsNeverTold() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let cleo = try await client.register("cleo")
            let started = try await Self.start(client, ada, to: ["cleo"], "We have not met; may I ask about your field?")
            #expect(started.status == 201, "\(started.text)")
            // The sender just sees it sent.
            #expect(started.json["state"] as? String == "active")
            let id = started.json["id"] as? String ?? ""
            #expect(Self.items(try await client.send(.get, "/api/v1/conversations", token: ada)).count == 1)

            // Cleo finds it under requests, not in her inbox.
            #expect(Self.items(try await client.send(.get, "/api/v1/conversations", token: cleo)).isEmpty)
            let requests = Self.items(try await client.send(.get, "/api/v1/conversations?box=requests", token: cleo))
            #expect(requests.first?["id"] as? String == id)
            #expect(requests.first?["state"] as? String == "request")

            let before = try await client.send(.get, "/api/v1/conversations/\(id)", token: ada).text
            #expect(try await client.send(.post, "/api/v1/conversations/\(id)/ignore", token: cleo).status == 204)
            let after = try await client.send(.get, "/api/v1/conversations/\(id)", token: ada).text
            #expect(before == after, "ignoring changed what the sender sees")
            #expect(Self.items(try await client.send(.get, "/api/v1/conversations?box=requests", token: cleo)).isEmpty)
            // Ada may go on writing; nothing tells her.
            #expect(
                try await client.send(.post, "/api/v1/conversations/\(id)/messages", token: ada, json: #"{"body":"Just in case"}"#).status
                    == 201
            )
            #expect(try await client.send(.get, "/api/v1/conversations/\(id)", token: ada).json["state"] as? String == "active")
            // Cleo can change her mind: accepting moves it to her inbox.
            let accepted = try await client.send(.post, "/api/v1/conversations/\(id)/accept", token: cleo)
            #expect(accepted.json["state"] as? String == "active")
            #expect(Self.items(try await client.send(.get, "/api/v1/conversations", token: cleo)).count == 1)
        }
    }

    @Test func replyingToARequestAcceptsItAndASharedEventIsContext() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let dan = try await client.register("dan")
            let eve = try await client.register("eve")
            let request = try await Self.start(client, ada, to: ["dan"], "Hello Dan")
            let id = request.json["id"] as? String ?? ""
            #expect(
                try await client.send(.post, "/api/v1/conversations/\(id)/messages", token: dan, json: #"{"body":"Hi!"}"#).status == 201
            )
            #expect(try await client.send(.get, "/api/v1/conversations/\(id)", token: dan).json["state"] as? String == "active")

            // Going to the same event is something shared: no request.
            let event = try await client.send(.post, "/api/v1/events", token: eve, json: EventsAPITests.event(capacity: 10)).json
            let eventID = event["id"] as? String ?? ""
            _ = try await client.send(.put, "/api/v1/events/\(eventID)/rsvp", token: ada, json: #"{"status":"going"}"#)
            let shared = try await Self.start(client, eve, to: ["ada"], "See you there")
            let sharedID = shared.json["id"] as? String ?? ""
            #expect(try await client.send(.get, "/api/v1/conversations/\(sharedID)", token: ada).json["state"] as? String == "active")
        }
    }

    @Test func blockedMembersCannotReachEachOtherAndLearnNothing() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let bob = try await client.register("bob")
            let started = try await Self.start(client, ada, to: ["bob"], "Hello")
            let id = started.json["id"] as? String ?? ""
            #expect(try await client.send(.post, "/api/v1/members/ada/block", token: bob).status == 204)

            let toBlocked = try await Self.start(client, ada, to: ["bob"], "Hello again")
            let toNobody = try await Self.start(client, ada, to: ["nobody-here"], "Hello again")
            #expect(toBlocked.status == 404 && toNobody.status == 404)
            func withoutRequestID(_ text: String) -> String { text.replacing(/"request_id":"[^"]*"/, with: "") }
            #expect(withoutRequestID(toBlocked.text) == withoutRequestID(toNobody.text))
            for token in [ada, bob] {
                #expect(try await client.send(.get, "/api/v1/conversations/\(id)", token: token).status == 404)
                #expect(try await client.send(.get, "/api/v1/conversations/\(id)/messages", token: token).status == 404)
                #expect(Self.items(try await client.send(.get, "/api/v1/conversations?box=inbox", token: token)).isEmpty)
                #expect(Self.items(try await client.send(.get, "/api/v1/conversations?box=requests", token: token)).isEmpty)
            }
        }
    }

    @Test func groupsHoldUpToEightAndOneWhoLeftSeesNothingNew() async throws {
        try await withApp { client, services in
            var tokens: [String: String] = [:]
            for handle in ["ada", "bob", "cat", "dov", "eli", "fay", "gus", "hal", "ida"] {
                tokens[handle] = try await client.register(handle)
            }
            let ada = tokens["ada"] ?? ""
            let tooMany = try await Self.start(client, ada, to: ["bob", "cat", "dov", "eli", "fay", "gus", "hal", "ida"], "Hi all")
            #expect(tooMany.status == 422)
            #expect(tooMany.text.contains(#""field":"to""#))
            let group = try await Self.start(client, ada, to: ["bob", "cat", "dov", "eli", "fay", "gus", "hal"], "Welcome, all seven")
            #expect(group.status == 201, "\(group.text)")
            #expect(group.json["kind"] as? String == "group")
            #expect((group.json["participants"] as? [Any])?.count == 7)
            let id = group.json["id"] as? String ?? ""

            let bob = tokens["bob"] ?? ""
            #expect(try await client.send(.post, "/api/v1/conversations/\(id)/leave", token: bob).status == 204)
            let blocked = try await client.send(.post, "/api/v1/conversations/\(id)/messages", token: bob, json: #"{"body":"still here?"}"#)
            #expect(blocked.status == 409)
            #expect(blocked.text.contains(#""field":"conversation""#))
            #expect(
                try await client.send(.post, "/api/v1/conversations/\(id)/messages", token: ada, json: #"{"body":"After Bob left"}"#).status
                    == 201
            )
            let bobsMessages = try await client.send(.get, "/api/v1/conversations/\(id)/messages", token: bob)
            #expect(bobsMessages.status == 200)
            #expect(!bobsMessages.text.contains("After Bob left"))
            #expect(bobsMessages.text.contains("Welcome, all seven"))
            #expect(try await client.send(.get, "/api/v1/conversations/\(id)", token: bob).json["unread_count"] as? Int == 0)

            // Each member's data export holds their conversations as they see them: Bob's stops
            // where he left; Ida, in none of it, has no trace of it.
            func exported(_ handle: String) async throws -> [MemberExport.ConversationData] {
                try await services.exports.export(handle: handle).conversations
            }
            let adas = try await exported("ada")
            #expect(adas.count == 1)
            #expect(adas.first?.messages.map(\.body) == ["Welcome, all seven", "After Bob left"])
            #expect(adas.first?.participants.count == 8)
            let bobs = try await exported("bob")
            #expect(bobs.first?.state == "left")
            #expect(bobs.first?.messages.map(\.body) == ["Welcome, all seven"])
            #expect(try await exported("ida").isEmpty)
            // A direct conversation cannot be left.
            let direct = try await Self.start(client, ada, to: ["ida"], "Just us")
            #expect(
                try await client.send(.post, "/api/v1/conversations/\(direct.json["id"] as? String ?? "")/leave", token: ada).status == 409
            )
        }
    }

    @Test func badInputNamesTheFieldAndStoresNothing() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            _ = try await client.register("bob")
            let long = String(repeating: "x", count: 5_001)
            let cases: [(String, Int, String)] = [
                (#"{"to":["bob"],"body":""}"#, 422, "body"), (#"{"to":["bob"],"body":"   "}"#, 422, "body"),
                (#"{"to":["bob"],"body":"\#(long)"}"#, 422, "body"), (#"{"to":[],"body":"hi"}"#, 422, "to"),
                (#"{"body":"hi"}"#, 422, "to"), (#"{"to":["ada"],"body":"hi"}"#, 422, "to"), (#"{"to":"bob","body":"hi"}"#, 422, "to"),
                (#"{"to":["bob"],"body":"hi","cc":["x"]}"#, 422, "cc"), (#"{"to":["nobody-here"],"body":"hi"}"#, 404, ""),
            ]
            for (json, status, field) in cases {
                let reply = try await client.send(.post, "/api/v1/conversations", token: ada, json: json)
                #expect(reply.status == status, "\(json.prefix(60)) → \(reply.text.prefix(200))")
                #expect(reply.headers[.contentType] == "application/problem+json")
                if !field.isEmpty { #expect(reply.text.contains(#""field":"\#(field)""#), "\(json.prefix(60))") }
            }
            #expect(Self.items(try await client.send(.get, "/api/v1/conversations", token: ada)).isEmpty, "something was stored half-way")
            let ok = try await Self.start(client, ada, to: ["bob"], String(repeating: "y", count: 5_000))
            #expect(ok.status == 201)
            #expect(try await client.send(.get, "/api/v1/conversations?box=sideways", token: ada).status == 422)
            #expect(try await client.send(.get, "/api/v1/conversations/not-an-id", token: ada).status == 404)
            #expect(
                try await client.send(.get, "/api/v1/conversations/\(ok.json["id"] as? String ?? "")/messages?after=x", token: ada).status
                    == 422
            )
        }
    }

    @Test func theWeeklyRequestLimitAnswers429() async throws {
        try await withApp { client, services in
            let ada = try await client.register("ada")
            let limit = services.messages.settings.weeklyRequestLimit
            // Members made through the service: the API's registration limit is not what is tested.
            func member(_ handle: String) async throws {
                let input = RegistrationInput(email: "\(handle)@example.org", password: "password-\(handle)", name: handle, handle: handle)
                _ = try await services.accounts.register(input)
            }
            for index in 0..<limit {
                try await member("stranger-\(index)")
                #expect(try await Self.start(client, ada, to: ["stranger-\(index)"], "Hello").status == 201)
            }
            try await member("one-too-many")
            let refused = try await Self.start(client, ada, to: ["one-too-many"], "Hello")
            #expect(refused.status == 429)
            #expect(refused.headers[.retryAfter] != nil)
        }
    }

    /// Nobody outside a conversation — another member, a moderator, an admin — reaches it or sees
    /// a trace of it (the authorisation matrix checks every route; this checks the lists and counts).
    @Test func outsidersSeeNoTrace() async throws {
        try await withApp { client, services in
            let ada = try await client.register("ada")
            let bob = try await client.register("bob")
            let olga = try await client.register("olga")
            _ = try await services.accounts.setRole("admin", ofHandle: "olga")
            let started = try await Self.start(client, ada, to: ["bob"], "private-words-2291")
            let id = started.json["id"] as? String ?? ""
            _ = bob
            for path in ["/api/v1/conversations/\(id)", "/api/v1/conversations/\(id)/messages"] {
                #expect(try await client.send(.get, path, token: olga).status == 404)
            }
            for path in [
                "/api/v1/conversations", "/api/v1/conversations?box=requests", "/api/v1/notifications",
                "/api/v1/members?q=private-words-2291",
            ] {
                #expect(!(try await client.send(.get, path, token: olga).text.contains("private-words-2291")), "\(path)")
            }
            let session = try await client.signIn("olga")
            // (The directory page is left out: it shows the words searched for in its own search box.)
            for page in ["/", "/messages", "/messages?box=requests", "/notifications"] {
                let text = try await client.send(.get, page, cookies: ["kith_session": session]).text
                #expect(!text.contains("private-words-2291"), "\(page)")
            }
        }
    }

    @Test func pagesWorkWithoutJavaScript() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada", name: "Ada Lovelace")
            _ = try await client.register("bob", name: "Bob Babbage")
            let started = try await Self.start(client, ada, to: ["bob"], "**Hello** Bob, see https://kith.example/x")
            let id = started.json["id"] as? String ?? ""
            let session = try await client.signIn("bob")
            let csrf = try await client.csrf(session: session)
            let cookies = ["kith_session": session]

            let requests = try await client.send(.get, "/messages?box=requests", cookies: cookies)
            #expect(requests.text.contains("Ada Lovelace"))
            let thread = try await client.send(.get, "/messages/\(id)", cookies: cookies).text
            #expect(thread.contains("<strong>Hello</strong>"))
            #expect(thread.contains(#"href="https://kith.example/x" rel="nofollow ugc noopener noreferrer""#))
            #expect(thread.contains("message request"))

            let accepted = try await client.send(.post, "/messages/\(id)/accept", cookies: cookies, form: [("_csrf", csrf)])
            #expect(accepted.status == 303 || accepted.status == 302)
            let empty = try await client.send(.post, "/messages/\(id)", cookies: cookies, form: [("_csrf", csrf), ("body", "  ")])
            #expect(empty.status == 422)
            #expect(empty.text.contains(#"id="body-error""#))
            let sent = try await client.send(.post, "/messages/\(id)", cookies: cookies, form: [("_csrf", csrf), ("body", "Thanks Ada")])
            #expect(sent.status == 303 || sent.status == 302)
            #expect(try await client.send(.get, "/messages", cookies: cookies).text.contains("Thanks Ada"))

            let unknown = try await client.send(
                .post,
                "/messages",
                cookies: cookies,
                form: [("_csrf", csrf), ("to", "nobody-here"), ("body", "Hi")]
            )
            #expect(unknown.status == 422)
            #expect(unknown.text.contains(#"id="to-error""#))
            // "Message" opens the conversation the two already have, or the form addressed to them.
            let existing = try await client.send(.get, "/messages/new?to=ada", cookies: cookies)
            #expect(existing.headers[.location] == "/messages/\(id)")
            _ = try await client.register("cleo")
            let form = try await client.send(.get, "/messages/new?to=cleo", cookies: cookies).text
            #expect(form.contains(#"value="cleo""#))
            // The navigation counts what waits: Ada has Bob's unread reply.
            let adas = try await client.send(.get, "/", cookies: ["kith_session": try await client.signIn("ada")]).text
            #expect(adas.contains(#"aria-label="1 unread""#))
        }
    }
}

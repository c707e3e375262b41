import Foundation
import Hummingbird
import KithDomain
import KithTestSupport
import Testing

@Suite struct ConnectionsAPITests {
    static func connect(_ client: Client, from: String, _ fromToken: String, to: String, _ toToken: String) async throws {
        let sent = try await client.send(.post, "/api/v1/connections/requests", token: fromToken, json: #"{"to":"\#(to)","note":"Hello"}"#)
        #expect(sent.status == 201, "\(sent.text)")
        let id = sent.json["id"] as? String ?? ""
        let accepted = try await client.send(.post, "/api/v1/connections/requests/\(id)/accept", token: toToken)
        #expect(accepted.status == 200)
        #expect(accepted.json["status"] as? String == "accepted")
    }

    @Test func requestIgnoreAndTheSenderOnlySeesPending() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let bob = try await client.register("bob")
            let sent = try await client.send(.post, "/api/v1/connections/requests", token: ada, json: #"{"to":"bob","note":"Hi Bob"}"#)
            #expect(sent.status == 201)
            #expect(Set((sent.json as [String: Any]).keys) == ["id", "from", "to", "note", "status", "created_at"])
            let id = sent.json["id"] as? String ?? ""

            #expect(try await client.send(.post, "/api/v1/connections/requests/\(id)/ignore", token: bob).status == 204)

            let outgoing = try await client.send(.get, "/api/v1/connections/requests?box=outgoing", token: ada)
            #expect(outgoing.text.contains(#""status":"pending""#))
            #expect(!outgoing.text.contains("ignored"))
            let incoming = try await client.send(.get, "/api/v1/connections/requests?box=incoming", token: bob).json
            #expect((incoming["items"] as? [Any])?.isEmpty == true)
            #expect(try await client.send(.post, "/api/v1/connections/requests/\(id)/accept", token: ada).status == 404)
            #expect(try await client.send(.delete, "/api/v1/connections/requests/\(id)", token: ada).status == 204)
        }
    }

    @Test func badRequestsGetClearErrors() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            _ = try await client.register("bob")
            let cases: [(String, Int)] = [
                (#"{"to":"ada"}"#, 422), (#"{"to":"nobody-here"}"#, 404), (#"{"note":"x"}"#, 422), (#"{"to":5}"#, 422),
                (#"{"to":"bob","note":"\#(String(repeating: "x", count: 301))"}"#, 422), (#"{"to":"bob","extra":1}"#, 422),
            ]
            for (body, status) in cases {
                let reply = try await client.send(.post, "/api/v1/connections/requests", token: ada, json: body)
                #expect(reply.status == status, "\(body) → \(reply.text)")
                #expect(reply.headers[.contentType] == "application/problem+json")
            }
            #expect(try await client.send(.post, "/api/v1/connections/requests", token: ada, json: #"{"to":"bob"}"#).status == 201)
            #expect(try await client.send(.post, "/api/v1/connections/requests", token: ada, json: #"{"to":"bob"}"#).status == 409)
            #expect(try await client.send(.get, "/api/v1/connections/requests?box=sideways", token: ada).status == 422)
            #expect(try await client.send(.post, "/api/v1/connections/requests/not-an-id/accept", token: ada).status == 404)
        }
    }

    @Test func relationshipShowsDegreeMutualsAndPaths() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let bob = try await client.register("bob")
            let cyd = try await client.register("cyd")
            try await Self.connect(client, from: "ada", ada, to: "bob", bob)
            try await Self.connect(client, from: "bob", bob, to: "cyd", cyd)

            let relationship = try await client.send(.get, "/api/v1/members/cyd/relationship", token: ada).json
            #expect(relationship["degree"] as? Int == 2)
            #expect(relationship["mutual_count"] as? Int == 1)
            #expect((relationship["paths"] as? [[String]]) == [["ada", "bob", "cyd"]])
            let stranger = try await client.register("eve")
            let none = try await client.send(.get, "/api/v1/members/eve/relationship", token: ada)
            #expect(none.text.contains(#""degree":null"#))
            _ = stranger

            let connections = try await client.send(.get, "/api/v1/connections?member=bob", token: ada).json
            #expect((connections["items"] as? [[String: Any]])?.compactMap { $0["handle"] as? String }.sorted() == ["ada", "cyd"])
            #expect(try await client.send(.delete, "/api/v1/connections/bob", token: ada).status == 204)
            #expect(try await client.send(.delete, "/api/v1/connections/bob", token: ada).status == 404)
            let after = try await client.send(.get, "/api/v1/members/cyd/relationship", token: ada).json
            #expect(after["degree"] is NSNull)
        }
    }

    @Test func connectionsVisibilityAppliesToOtherMembers() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let bob = try await client.register("bob")
            let cyd = try await client.register("cyd")
            try await Self.connect(client, from: "ada", ada, to: "bob", bob)
            _ = try await client.send(.patch, "/api/v1/me/profile", token: bob, json: #"{"visibility":{"connections":"connections"}}"#)

            #expect(try await client.send(.get, "/api/v1/connections?member=bob", token: ada).status == 200)
            #expect(try await client.send(.get, "/api/v1/connections?member=bob", token: cyd).status == 403)
            _ = try await client.send(
                .patch,
                "/api/v1/me/profile",
                token: bob,
                json: #"{"visibility":{"connections":"only_me","contact":"connections"}}"#
            )
            #expect(try await client.send(.get, "/api/v1/connections?member=bob", token: ada).status == 403)
            #expect(try await client.send(.get, "/api/v1/connections", token: bob).status == 200)
            // "connections" visibility now means a real connection: Ada sees Bob's contact details.
            #expect(try await client.send(.get, "/api/v1/members/bob", token: ada).json["contact"] != nil)
            #expect(try await client.send(.get, "/api/v1/members/bob", token: cyd).json["contact"] == nil)
        }
    }

    /// Suggestions asked again with nothing changed come from the kept list and its kept bytes
    /// (`SuggestionCache`, `AnswerMemo`); every change they depend on shows at the next ask, and
    /// a member is never sent another member's kept answer.
    @Test func suggestionsAskedAgainAreTheSameUntilSomethingChanges() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let bob = try await client.register("bob")
            let cyd = try await client.register("cyd")
            let dee = try await client.register("dee")
            let eve = try await client.register("eve")
            try await Self.connect(client, from: "ada", ada, to: "bob", bob)
            try await Self.connect(client, from: "bob", bob, to: "cyd", cyd)
            try await Self.connect(client, from: "bob", bob, to: "dee", dee)
            try await Self.connect(client, from: "eve", eve, to: "cyd", cyd)
            func handles(_ token: String, limit: Int = 20) async throws -> (body: String, handles: [String]) {
                let answer = try await client.send(.get, "/api/v1/suggestions?limit=\(limit)", token: token)
                #expect(answer.status == 200)
                #expect(answer.headers[.contentType] == "application/json; charset=utf-8")
                #expect(answer.headers[.contentLength] == String(answer.text.utf8.count))
                let items = answer.json["items"] as? [[String: Any]] ?? []
                return (answer.text, items.compactMap { ($0["member"] as? [String: Any])?["handle"] as? String })
            }

            let first = try await handles(ada)
            #expect(first.handles.sorted() == ["cyd", "dee"])
            #expect(try await handles(ada).body == first.body)
            #expect(try await handles(ada, limit: 1).handles == [first.handles[0]], "a shorter page starts the kept list")
            // Eve asks: her own list, not Ada's kept answer.
            let forEve = try await handles(eve)
            #expect(forEve.handles.sorted() == ["bob"] && forEve.body != first.body)
            // A new connection, a block and a hidden connections list each show at the next ask.
            try await Self.connect(client, from: "ada", ada, to: "cyd", cyd)
            #expect(try await handles(ada).handles.sorted() == ["dee", "eve"])
            #expect((200..<300).contains(try await client.send(.post, "/api/v1/members/dee/block", token: ada).status))
            #expect(try await handles(ada).handles == ["eve"])
            #expect((200..<300).contains(try await client.send(.delete, "/api/v1/members/dee/block", token: ada).status))
            #expect(try await handles(ada).handles.sorted() == ["dee", "eve"])
            _ = try await client.send(.patch, "/api/v1/me/profile", token: dee, json: #"{"visibility":{"connections":"only_me"}}"#)
            #expect(try await handles(ada).handles == ["eve"], "Dee's only reason was a mutual connection she now hides")
        }
    }

    @Test func suggestionsHaveReasonsAndTheNetworkPagesWork() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let bob = try await client.register("bob")
            let cyd = try await client.register("cyd")
            try await Self.connect(client, from: "ada", ada, to: "bob", bob)
            try await Self.connect(client, from: "bob", bob, to: "cyd", cyd)

            let suggestions = try await client.send(.get, "/api/v1/suggestions?limit=5", token: ada).json
            let first = (suggestions["items"] as? [[String: Any]])?.first
            #expect((first?["member"] as? [String: Any])?["handle"] as? String == "cyd")
            #expect((first?["reasons"] as? [String]) == ["1 mutual connection"])
            #expect(try await client.send(.get, "/api/v1/suggestions?limit=0", token: ada).status == 422)

            let session = try await client.signIn("ada")
            let network = try await client.send(.get, "/network", cookies: ["kith_session": session])
            #expect(network.status == 200)
            #expect(network.text.contains("Bob"))
            let people = try await client.send(.get, "/suggestions", cookies: ["kith_session": session])
            #expect(people.text.contains("1 mutual connection"))
            let profile = try await client.send(.get, "/in/cyd", cookies: ["kith_session": session])
            #expect(profile.text.contains("How you&#x27;re connected") || profile.text.contains("How you're connected"))
            #expect(profile.text.contains("Ada → Bob → Cyd"))

            let csrf = try await client.csrf(session: session)
            let connect = try await client.send(
                .post,
                "/network/requests",
                cookies: ["kith_session": session],
                form: [("_csrf", csrf), ("to", "cyd"), ("note", "Bob says hi")]
            )
            #expect(connect.status == 303)
            let cydInbox = try await client.send(.get, "/api/v1/connections/requests", token: cyd).text
            #expect(cydInbox.contains("Bob says hi"))
        }
    }
}

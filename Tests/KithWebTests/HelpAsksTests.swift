import Foundation
import Hummingbird
import KithDomain
import KithTestSupport
import KithWeb
import Testing

/// Help asks through the API and the pages, on whichever store the suite runs on: routing to the
/// few members most able to help, each told why; offers, an accepted offer's conversation, the
/// resolution that thanks the helpers; and that the asker never learns who was asked or who let
/// it pass.
@Suite struct HelpAsksTests {
    static func ask(
        _ client: Client,
        _ token: String,
        audience: String = "community",
        skills: [String] = ["SQL"],
        organization: String = "",
        title: String = "Moving into data engineering"
    ) async throws -> Client.Reply {
        let body = try JSONSerialization.data(withJSONObject: [
            "kind": "advice", "title": title, "body": "I would value twenty minutes with someone who made the move.",
            "audience": audience, "skills": skills, "organization": organization,
        ])
        return try await client.send(.post, "/api/v1/asks", token: token, json: String(decoding: body, as: UTF8.self))
    }

    static func items(_ reply: Client.Reply) -> [[String: Any]] { reply.json["items"] as? [[String: Any]] ?? [] }

    static func skills(_ client: Client, _ token: String, _ skills: [String]) async throws {
        let list = skills.map { "\"\($0)\"" }.joined(separator: ",")
        let reply = try await client.send(.patch, "/api/v1/me/profile", token: token, json: #"{"skills":[\#(list)]}"#)
        #expect(reply.status == 200, "\(reply.text)")
    }

    @Test func anAskReachesOnlyTheFewBestPlacedEachToldWhyAndNeverNamesThemToTheAsker() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            var tokens: [String: String] = [:]
            for handle in ["sam", "sol", "sue", "sid", "sky", "sia", "otto", "nia"] {
                tokens[handle] = try await client.register(handle)
            }
            // Four list SQL, two only Python; Otto was at Acme Analytics; Nia has none of it and no tie to Ada.
            for handle in ["sam", "sol", "sue", "sid"] { try await Self.skills(client, tokens[handle]!, ["SQL", "Python"]) }
            for handle in ["sky", "sia"] { try await Self.skills(client, tokens[handle]!, ["Python"]) }
            _ = try await client.send(
                .post,
                "/api/v1/me/affiliations",
                token: tokens["otto"],
                json: #"{"kind":"employer","organization":"Acme Analytics"}"#
            )
            let asked = try await Self.ask(client, ada, skills: ["SQL"], organization: "Acme Analytics")
            #expect(asked.status == 201, "\(asked.text)")
            #expect(asked.json["status"] as? String == "open")
            #expect(asked.json["sent_to"] as? Int == AskRouter.perAsk)
            #expect(!asked.text.contains("\"sam\"") && !asked.text.contains("\"otto\""), "the asker is not told whom it reached")
            let id = asked.json["id"] as? String ?? ""

            // The four SQL members and Otto are asked, each told why; the others are not.
            var reached: [String] = []
            for (handle, token) in tokens {
                let mine = Self.items(try await client.send(.get, "/api/v1/asks?for=me", token: token))
                if let item = mine.first {
                    reached.append(handle)
                    let why = item["why"] as? String ?? ""
                    #expect(
                        handle == "otto" ? why.contains("you have been at Acme Analytics") : why.contains("you list SQL among your skills")
                    )
                }
            }
            #expect(Set(reached) == ["sam", "sol", "sue", "sid", "otto"], "\(reached)")
            #expect(try await client.send(.get, "/api/v1/asks/\(id)", token: tokens["nia"]).status == 404)
            #expect(try await client.send(.post, "/api/v1/asks/\(id)/offers", token: tokens["nia"], json: #"{"note":"me?"}"#).status == 404)

            // One lets it pass: it leaves their list, and the asker's view is unchanged byte for byte.
            let before = try await client.send(.get, "/api/v1/asks/\(id)", token: ada).text
            let passer = reached.first { $0 != "otto" } ?? ""
            #expect(try await client.send(.post, "/api/v1/asks/\(id)/decline", token: tokens[passer]).status == 204)
            #expect(Self.items(try await client.send(.get, "/api/v1/asks?for=me", token: tokens[passer])).isEmpty)
            #expect(try await client.send(.get, "/api/v1/asks/\(id)", token: ada).text == before)
            let notices = Self.items(try await client.send(.get, "/api/v1/notifications", token: ada))
            #expect(notices.isEmpty, "nothing tells the asker someone let it pass")
        }
    }

    @Test func offersAnAcceptedConversationAndAResolutionThatThanksTheHelpers() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let bob = try await client.register("bob")
            let cy = try await client.register("cyd")
            try await ConnectionsAPITests.connect(client, from: "ada", ada, to: "bob", bob)
            try await ConnectionsAPITests.connect(client, from: "ada", ada, to: "cyd", cy)
            // Ada keeps a contact for Bob; Bob one for Ada: the help lands in both ledgers.
            _ = try await client.send(.post, "/api/v1/contacts", token: ada, json: #"{"name":"Bob","member":"bob"}"#)
            _ = try await client.send(.post, "/api/v1/contacts", token: bob, json: #"{"name":"Ada","member":"ada"}"#)

            let asked = try await Self.ask(client, ada, audience: "connections", skills: [])
            #expect(asked.status == 201, "\(asked.text)")
            let id = asked.json["id"] as? String ?? ""
            #expect(asked.json["sent_to"] as? Int == 2)
            let offered = try await client.send(
                .post,
                "/api/v1/asks/\(id)/offers",
                token: bob,
                json: #"{"note":"I did exactly that in 2022."}"#
            )
            #expect(offered.status == 201, "\(offered.text)")
            #expect(try await client.send(.post, "/api/v1/asks/\(id)/offers", token: bob, json: #"{"note":"again"}"#).status == 409)
            let notices = Self.items(try await client.send(.get, "/api/v1/notifications", token: ada))
            #expect(notices.contains { ($0["title"] as? String ?? "").hasPrefix("Bob offered to help") })

            let mine = try await client.send(.get, "/api/v1/asks/\(id)", token: ada)
            let offers = mine.json["offers"] as? [[String: Any]] ?? []
            #expect(offers.count == 1)
            let offerID = offers.first?["id"] as? String ?? ""
            #expect(try await client.send(.post, "/api/v1/asks/\(id)/offers/\(offerID)/accept", token: bob).status == 404)
            let accepted = try await client.send(.post, "/api/v1/asks/\(id)/offers/\(offerID)/accept", token: ada)
            #expect(accepted.status == 200, "\(accepted.text)")
            let conversation = accepted.json["conversation_id"] as? String ?? ""
            let thread = try await client.send(.get, "/api/v1/conversations/\(conversation)/messages", token: bob)
            #expect((Self.items(thread).last?["body"] as? String ?? "").contains("I did exactly that in 2022."))

            // Only those who offered can be thanked.
            let wrong = try await client.send(.post, "/api/v1/asks/\(id)/resolve", token: ada, json: #"{"helped_by":["cyd"]}"#)
            #expect(wrong.status == 422 && wrong.text.contains("helped_by"), "\(wrong.text)")
            #expect(try await client.send(.post, "/api/v1/asks/\(id)/resolve", token: bob, json: #"{"helped_by":["bob"]}"#).status == 404)
            let resolved = try await client.send(
                .post,
                "/api/v1/asks/\(id)/resolve",
                token: ada,
                json: #"{"helped_by":["bob"],"note":"Thank you!"}"#
            )
            #expect(resolved.status == 200, "\(resolved.text)")
            #expect(resolved.json["status"] as? String == "resolved")
            #expect(resolved.json["helped_by"] as? [String] == ["bob"])
            let thanks = Self.items(try await client.send(.get, "/api/v1/notifications", token: bob))
            #expect(thanks.contains { $0["title"] as? String == "Ada thanked you for your help" })
            // Bob's public count, and both ledgers.
            let profile = try await client.send(.get, "/in/bob", cookies: ["kith_session": try await client.signIn("cyd")]).text
            #expect(profile.contains("Helped 1 member"))
            let adaLedger = try await client.send(.get, "/api/v1/reciprocity", token: ada).json
            #expect((adaLedger["totals"] as? [String: Any])?["received"] as? Int == 1, "\(adaLedger)")
            let bobLedger = try await client.send(.get, "/api/v1/reciprocity", token: bob).json
            #expect((bobLedger["totals"] as? [String: Any])?["given"] as? Int == 1, "\(bobLedger)")
            // Resolved, it is closed to further offers.
            #expect(try await client.send(.post, "/api/v1/asks/\(id)/offers", token: cy, json: #"{"note":"late"}"#).status == 409)
        }
    }

    @Test func badInputBudgetsAndCaps() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let rust = try await client.register("rusty")
            try await Self.skills(client, rust, ["Rust"])
            let missing = try await client.send(.post, "/api/v1/asks", token: ada, json: "{}")
            #expect(missing.status == 422)
            for field in ["kind", "title", "body", "audience"] { #expect(missing.text.contains(field), "\(field)") }
            let group = try await Self.ask(client, ada, audience: "group")
            #expect(group.status == 422 && group.text.contains("group"))
            let long = try await Self.ask(client, ada, title: String(repeating: "t", count: 121))
            #expect(long.status == 422 && long.text.contains("title"))
            let many = try await Self.ask(client, ada, skills: ["a", "b", "c", "d", "e", "f"])
            #expect(many.status == 422 && many.text.contains("skills"))
            // Nobody to ask among no connections.
            let nobody = try await Self.ask(client, ada, audience: "connections")
            #expect(nobody.status == 409 && nobody.text.contains("audience"), "\(nobody.text)")
            #expect(Self.items(try await client.send(.get, "/api/v1/asks?mine=true", token: ada)).isEmpty, "nothing stored half-way")

            // Rusty is the only one listing Rust: three asks reach him this week, the fourth cannot.
            var askers: [String] = []
            for index in 0..<4 { askers.append(try await client.register("asker\(index)")) }
            for token in askers.prefix(3) {
                #expect(try await Self.ask(client, token, skills: ["Rust"]).status == 201)
            }
            #expect(Self.items(try await client.send(.get, "/api/v1/asks?for=me", token: rust)).count == 3)
            #expect(try await Self.ask(client, askers[3], skills: ["Rust"]).status == 409, "over his weekly budget")

            // Three open asks at once; the fourth is over the cap (told before anyone is asked).
            let capped = try await client.register("capped")
            let pal = try await client.register("pal")
            try await ConnectionsAPITests.connect(client, from: "capped", capped, to: "pal", pal)
            for index in 0..<3 {
                let reply = try await Self.ask(client, capped, audience: "connections", skills: [], title: "Ask \(index)")
                #expect(reply.status == 201, "\(reply.text)")
            }
            #expect(try await Self.ask(client, capped, audience: "connections", skills: []).status == 429)
            #expect(try await client.send(.get, "/api/v1/asks?for=them", token: ada).status == 422)
        }
    }

    @Test func thePagesGiveBeforeYouAskAndWorkWithoutJavaScript() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let bob = try await client.register("bob")
            try await ConnectionsAPITests.connect(client, from: "ada", ada, to: "bob", bob)
            // Bob has asked first: Ada's form shows it under "Give before you ask".
            let bobs = try await Self.ask(client, bob, audience: "connections", skills: [], title: "Feedback on my CV")
            let bobsID = bobs.json["id"] as? String ?? ""
            let session = try await client.signIn("ada")
            let form = try await client.send(.get, "/asks/new", cookies: ["kith_session": session]).text
            #expect(form.contains("Give before you ask") && form.contains("Feedback on my CV"))
            let csrf = try await client.csrf(session: session)
            let bad = try await client.send(
                .post,
                "/asks",
                cookies: ["kith_session": session],
                form: [("_csrf", csrf), ("kind", "advice"), ("title", ""), ("body", "Details"), ("audience", "connections")]
            )
            #expect(bad.status == 422)
            #expect(bad.text.contains(#"id="title-error""#) && bad.text.contains("Details"))
            let sent = try await client.send(
                .post,
                "/asks",
                cookies: ["kith_session": session],
                form: [
                    ("_csrf", csrf), ("kind", "advice"), ("title", "Advice on a first data role"), ("body", "Details"),
                    ("audience", "connections"), ("skills", "SQL, Python"),
                ]
            )
            #expect(sent.status == 302 || sent.status == 303)
            // Bob reads why he was asked, and offers through the page.
            let bobSession = try await client.signIn("bob")
            let list = try await client.send(.get, "/asks", cookies: ["kith_session": bobSession]).text
            #expect(list.contains("Advice on a first data role") && list.contains("Why you: you are connected."))
            let location = sent.headers[.location] ?? ""
            let offered = try await client.send(
                .post,
                location + "/offers",
                cookies: ["kith_session": bobSession],
                form: [("_csrf", try await client.csrf(session: bobSession)), ("note", "Happy to look")]
            )
            #expect(offered.headers[.location] == location)
            let adaPage = try await client.send(.get, location, cookies: ["kith_session": session]).text
            #expect(adaPage.contains("Happy to look") && adaPage.contains("Accept and talk"))
            // Ada lets Bob's own ask pass: it leaves her list.
            let declined = try await client.send(
                .post,
                "/asks/\(bobsID)/decline",
                cookies: ["kith_session": session],
                form: [("_csrf", csrf)]
            )
            #expect(declined.headers[.location] == "/asks")
            #expect(!(try await client.send(.get, "/asks", cookies: ["kith_session": session]).text.contains("Feedback on my CV")))
        }
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import KithApp
import KithDomain
import KithTestSupport
import KithWeb
import Logging
import Testing

/// Double opt-in introductions through the API and the pages, on whichever store the suite runs
/// on (SQLite, or PostgreSQL under scripts/with-test-postgres.sh). Ada knows Bob, Bob knows Cyd.
@Suite struct IntroductionsTests {
    struct Cast {
        let ada: String
        let bob: String
        let cyd: String
        let eve: String
    }

    static func cast(_ client: Client) async throws -> Cast {
        let ada = try await client.register("ada")
        let bob = try await client.register("bob")
        let cyd = try await client.register("cyd", name: "Cyd Charisse")
        let eve = try await client.register("eve")
        try await ConnectionsAPITests.connect(client, from: "ada", ada, to: "bob", bob)
        try await ConnectionsAPITests.connect(client, from: "bob", bob, to: "cyd", cyd)
        return Cast(ada: ada, bob: bob, cyd: cyd, eve: eve)
    }

    static func ask(
        _ client: Client,
        _ token: String,
        target: String = "cyd",
        via: String = "bob",
        blurb: String = "Ada runs data at a small charity and is moving into engineering."
    ) async throws -> Client.Reply {
        let body = try JSONSerialization.data(withJSONObject: [
            "target": target, "via": via, "purpose": "advice", "blurb": blurb, "ask": "Twenty minutes about how your team works?",
        ])
        return try await client.send(.post, "/api/v1/introductions", token: token, json: String(decoding: body, as: UTF8.self))
    }

    static func items(_ reply: Client.Reply) -> [[String: Any]] { reply.json["items"] as? [[String: Any]] ?? [] }

    @Test func askForwardAcceptAndTheOutcomeReachEachOwnRelationshipManager() async throws {
        try await withApp { client, services in
            let cast = try await Self.cast(client)
            // Ada and Bob each keep a contact for the other; Cyd keeps one for Ada.
            _ = try await client.send(.post, "/api/v1/contacts", token: cast.ada, json: #"{"name":"Bob","member":"bob"}"#)
            _ = try await client.send(.post, "/api/v1/contacts", token: cast.bob, json: #"{"name":"Ada","member":"ada"}"#)
            _ = try await client.send(.post, "/api/v1/contacts", token: cast.cyd, json: #"{"name":"Ada","member":"ada"}"#)

            let asked = try await Self.ask(client, cast.ada)
            #expect(asked.status == 201, "\(asked.text)")
            #expect(asked.json["status"] as? String == "requested")
            #expect((asked.json["via"] as? [String: Any])?["handle"] as? String == "bob")
            #expect(asked.json["expires_at"] is String)
            let id = asked.json["id"] as? String ?? ""

            // Cyd sees nothing until Bob forwards it.
            #expect(Self.items(try await client.send(.get, "/api/v1/introductions?role=target", token: cast.cyd)).isEmpty)
            #expect(try await client.send(.get, "/api/v1/introductions/\(id)", token: cast.cyd).status == 404)
            #expect(try await client.send(.post, "/api/v1/introductions/\(id)/accept", token: cast.cyd).status == 404)
            let toMake = Self.items(try await client.send(.get, "/api/v1/introductions?role=connector", token: cast.bob))
            #expect(toMake.map { $0["status"] as? String } == ["waiting_for_you"])
            // It is the first thing in Bob's weekly plan, and counted on his home page.
            let plan = try await client.send(.get, "/api/v1/me/weekly-plan", token: cast.bob).json["items"] as? [[String: Any]] ?? []
            #expect(plan.first?["kind"] as? String == "ask", "\(plan)")
            #expect((plan.first?["text"] as? String ?? "").contains("Ada asks you for an introduction to Cyd Charisse"))
            let home = try await client.send(.get, "/", cookies: ["kith_session": try await client.signIn("bob")]).text
            #expect(home.contains("introduction waiting for your answer"))

            // Bob's page shows him, privately, how he knows each side.
            let bobSession = try await client.signIn("bob")
            let page = try await client.send(.get, "/introductions/\(id)", cookies: ["kith_session": bobSession]).text
            #expect(page.contains("How you know them (only you see this)"))
            #expect(page.contains("you have helped Ada not yet"))
            #expect(page.contains("Cyd Charisse: </strong>tie strength 30 of 255; not in your contacts"))

            let forwarded = try await client.send(
                .post,
                "/api/v1/introductions/\(id)/forward",
                token: cast.bob,
                json: #"{"note":"Ada is thoughtful — worth twenty minutes."}"#
            )
            #expect(forwarded.status == 200, "\(forwarded.text)")
            #expect(forwarded.json["status"] as? String == "forwarded")
            let seen = Self.items(try await client.send(.get, "/api/v1/introductions?role=target", token: cast.cyd))
            #expect(seen.map { $0["status"] as? String } == ["waiting_for_you"])
            #expect((seen.first?["notes"] as? [[String: Any]])?.first?["text"] as? String == "Ada is thoughtful — worth twenty minutes.")
            // The asker is not told how far it went, nor reads the note before it is accepted.
            let adaView = try await client.send(.get, "/api/v1/introductions/\(id)", token: cast.ada)
            #expect(adaView.json["status"] as? String == "requested")
            #expect((adaView.json["notes"] as? [Any])?.isEmpty == true)
            #expect(adaView.json["expires_at"] as? String == asked.json["expires_at"] as? String)

            let before = try await Self.tie(services, cast.ada, cast.bob)
            let accepted = try await client.send(.post, "/api/v1/introductions/\(id)/accept", token: cast.cyd)
            #expect(accepted.status == 200, "\(accepted.text)")
            #expect(accepted.json["status"] as? String == "introduced")
            let conversation = accepted.json["conversation_id"] as? String ?? ""
            for token in [cast.ada, cast.bob, cast.cyd] {
                let thread = try await client.send(.get, "/api/v1/conversations/\(conversation)/messages", token: token)
                #expect(thread.status == 200)
                #expect((Self.items(thread).first?["body"] as? String ?? "").contains("Ada runs data at a small charity"))
            }
            #expect(try await client.send(.get, "/api/v1/conversations/\(conversation)", token: cast.eve).status == 404)
            // Bob steps out; Ada and Cyd carry on without him.
            #expect(try await client.send(.post, "/api/v1/conversations/\(conversation)/leave", token: cast.bob).status == 204)
            let after = try await client.send(
                .post,
                "/api/v1/conversations/\(conversation)/messages",
                token: cast.ada,
                json: #"{"body":"Hi Cyd!"}"#
            )
            #expect(after.status == 201)
            #expect(
                try await client.send(.post, "/api/v1/conversations/\(conversation)/messages", token: cast.bob, json: #"{"body":"x"}"#)
                    .status == 409
            )
            // Introduced, Ada and Cyd share context: a direct message is not a message request.
            let direct = try await MessagesTests.start(client, cast.ada, to: ["cyd"], "Thank you for saying yes!")
            #expect(direct.json["state"] as? String == "active", "\(direct.text)")

            // The asker's plan asks how it went, until she says.
            let planBefore = try await client.send(.get, "/api/v1/me/weekly-plan", token: cast.ada).text
            #expect(planBefore.contains("How did it go with Cyd Charisse?"))
            // Only the asker records the outcome, once.
            #expect(
                try await client.send(.post, "/api/v1/introductions/\(id)/outcome", token: cast.bob, json: #"{"outcome":"met"}"#).status
                    == 404
            )
            let outcome = try await client.send(
                .post,
                "/api/v1/introductions/\(id)/outcome",
                token: cast.ada,
                json: #"{"outcome":"met","note":"Coffee on Tuesday"}"#
            )
            #expect(outcome.status == 200, "\(outcome.text)")
            #expect(outcome.json["outcome"] as? String == "met")
            #expect(!(try await client.send(.get, "/api/v1/me/weekly-plan", token: cast.ada).text.contains("How did it go")))
            #expect(
                try await client.send(.post, "/api/v1/introductions/\(id)/outcome", token: cast.ada, json: #"{"outcome":"met"}"#).status
                    == 409
            )
            // Ada's ledger: help received from Bob; Bob's: an introduction made for Ada.
            let adaLedger = try await client.send(.get, "/api/v1/reciprocity", token: cast.ada).json
            #expect((adaLedger["totals"] as? [String: Any])?["received"] as? Int == 1, "\(adaLedger)")
            let bobLedger = try await client.send(.get, "/api/v1/reciprocity", token: cast.bob).json
            #expect((bobLedger["totals"] as? [String: Any])?["given"] as? Int == 1, "\(bobLedger)")
            // Cyd keeps a contact for Ada: the meeting is on it. Nothing was added for anyone else.
            let cydContacts = Self.items(try await client.send(.get, "/api/v1/contacts", token: cast.cyd))
            let cydContact = cydContacts.first?["id"] as? String ?? ""
            let timeline = Self.items(try await client.send(.get, "/api/v1/contacts/\(cydContact)/interactions", token: cast.cyd))
            #expect(timeline.map { $0["kind"] as? String } == ["meeting"])
            #expect(Self.items(try await client.send(.get, "/api/v1/contacts", token: cast.eve)).isEmpty)
            // The tie the introduction used grew, and the asker is reminded to thank the connector.
            #expect(try await Self.tie(services, cast.ada, cast.bob) > before)
            let notices = Self.items(try await client.send(.get, "/api/v1/notifications", token: cast.ada))
            #expect(notices.contains { $0["title"] as? String == "Thank Bob for the introduction" })
        }
    }

    static func tie(_ services: Services, _ a: String, _ b: String) async throws -> Int {
        try await services.graph.catchUp()
        guard let first = try await services.accounts.member(bearer: a), let second = try await services.accounts.member(bearer: b) else {
            return -1
        }
        return Int(try await services.graph.tieStrength(first.id, second.id) ?? 0)
    }

    @Test func badInputNamesTheFieldOrRuleAndStoresNothing() async throws {
        try await withApp { client, _ in
            let cast = try await Self.cast(client)
            let notBoth = try await Self.ask(client, cast.ada, via: "eve")
            #expect(notBoth.status == 422 && notBoth.text.contains("via"), "\(notBoth.text)")
            #expect(try await Self.ask(client, cast.ada, target: "ada").status == 422)
            #expect(try await Self.ask(client, cast.ada, target: "nobody").status == 404)
            let long = try await Self.ask(client, cast.ada, blurb: String(repeating: "a", count: 601))
            #expect(long.status == 422 && long.text.contains("blurb"), "\(long.text)")
            let missing = try await client.send(.post, "/api/v1/introductions", token: cast.ada, json: "{}")
            #expect(missing.status == 422)
            for field in ["target", "via", "purpose", "blurb", "ask"] { #expect(missing.text.contains(field), "\(field)") }
            // Blocked either way: the same answer as someone who does not exist.
            _ = try await client.send(.post, "/api/v1/members/ada/block", token: cast.cyd)
            #expect(try await Self.ask(client, cast.ada).status == 404)
            #expect(Self.items(try await client.send(.get, "/api/v1/introductions", token: cast.ada)).isEmpty, "nothing stored half-way")
            #expect(Self.items(try await client.send(.get, "/api/v1/introductions?role=connector", token: cast.bob)).isEmpty)
            let role = try await client.send(.get, "/api/v1/introductions?role=boss", token: cast.ada)
            #expect(role.status == 422 && role.text.contains("role"))
            // The connector and the asker, either way: as unknown as a blocked target.
            #expect(try await client.send(.delete, "/api/v1/members/ada/block", token: cast.cyd).status < 300)
            // The connector and the target: the connector is no longer a way through.
            _ = try await client.send(.post, "/api/v1/members/bob/block", token: cast.cyd)
            let apart = try await Self.ask(client, cast.ada)
            #expect(apart.status == 422 && apart.text.contains("via"), "\(apart.text)")
            _ = try await client.send(.delete, "/api/v1/members/bob/block", token: cast.cyd)
            _ = try await client.send(.post, "/api/v1/members/ada/block", token: cast.bob)
            let viaBlocked = try await Self.ask(client, cast.ada)
            #expect(viaBlocked.status == 404 && !viaBlocked.text.contains("bob"), "\(viaBlocked.text)")
            _ = try await client.send(.delete, "/api/v1/members/ada/block", token: cast.bob)
            _ = try await client.send(.post, "/api/v1/members/bob/block", token: cast.ada)
            #expect(try await Self.ask(client, cast.ada).status == 404)
            #expect(Self.items(try await client.send(.get, "/api/v1/introductions", token: cast.ada)).isEmpty, "nothing stored")
        }
    }

    @Test func capsPausesAndActingOnSomeoneElsesIntroduction() async throws {
        try await withApp { client, _ in
            let cast = try await Self.cast(client)
            // Bob takes a break: the asker is told he is not taking introductions just now.
            let paused = try await client.send(
                .put,
                "/api/v1/me/introductions/availability",
                token: cast.bob,
                json: #"{"paused_until":"\#(Moment.format(Date().addingTimeInterval(7 * 86_400)))"}"#
            )
            #expect(paused.status == 200, "\(paused.text)")
            #expect(paused.json["paused_until"] is String)
            let refused = try await Self.ask(client, cast.ada)
            #expect(refused.status == 409 && refused.text.contains("not taking introductions just now"), "\(refused.text)")
            let bad = try await client.send(.put, "/api/v1/me/introductions/availability", token: cast.bob, json: #"{"monthly_limit":0}"#)
            #expect(bad.status == 422 && bad.text.contains("monthly_limit"))
            _ = try await client.send(.put, "/api/v1/me/introductions/availability", token: cast.bob, json: "{}")

            // Five open at once; the sixth is over the cap.
            var ids: [String] = []
            for _ in 0..<5 {
                let reply = try await Self.ask(client, cast.ada)
                #expect(reply.status == 201, "\(reply.text)")
                ids.append(reply.json["id"] as? String ?? "")
            }
            let sixth = try await Self.ask(client, cast.ada)
            #expect(sixth.status == 429, "\(sixth.text)")
            // Nobody but the three may act on it; those on it only in their turn.
            #expect(try await client.send(.post, "/api/v1/introductions/\(ids[0])/pass", token: cast.eve).status == 404)
            #expect(try await client.send(.post, "/api/v1/introductions/\(ids[0])/withdraw", token: cast.bob).status == 404)
            #expect(try await client.send(.post, "/api/v1/introductions/\(ids[0])/accept", token: cast.bob).status == 409)
            #expect(try await client.send(.post, "/api/v1/introductions/\(ids[0])/forward", token: cast.ada, json: "{}").status == 409)
            let withdrawn = try await client.send(.post, "/api/v1/introductions/\(ids[0])/withdraw", token: cast.ada)
            #expect(withdrawn.json["status"] as? String == "withdrawn")
            #expect(try await Self.ask(client, cast.ada).status == 201, "a withdrawn one frees a place")
            // Bob asks Ada for more: a message in their conversation, and the ask stays with him.
            let question = try await client.send(
                .post,
                "/api/v1/introductions/\(ids[1])/question",
                token: cast.bob,
                json: #"{"question":"What would you most like to learn from Cyd?"}"#
            )
            #expect(question.status == 201, "\(question.text)")
            let thread = try await client.send(
                .get,
                "/api/v1/conversations/\(question.json["conversation_id"] as? String ?? "")/messages",
                token: cast.ada
            )
            #expect((Self.items(thread).last?["body"] as? String ?? "").contains("What would you most like to learn from Cyd?"))
            #expect(
                try await client.send(.get, "/api/v1/introductions/\(ids[1])", token: cast.bob).json["status"] as? String
                    == "waiting_for_you"
            )
        }
    }

    /// Whatever closes it — the connector passing, the target passing, nobody answering — the
    /// asker's API answer and page read the same, byte for byte (but for the introduction's id
    /// and when it was made), and so do the notifications they got.
    @Test func theAskerCannotTellWhoPassedOrWhetherAnyoneAnswered() async throws {
        try await withMigratedStore { store async throws in
            let configuration = AppConfiguration(registration: .open, bcryptCost: 4, logLevel: .critical)
            let app = try await buildApplication(configuration: configuration, store: store)
            try await app.test(.router) { raw in
                let client = Client(client: raw)
                let cast = try await Self.cast(client)
                let byConnector = try await Self.ask(client, cast.ada).json["id"] as? String ?? ""
                _ = try await client.send(.post, "/api/v1/introductions/\(byConnector)/pass", token: cast.bob)

                let byTarget = try await Self.ask(client, cast.ada).json["id"] as? String ?? ""
                _ = try await client.send(.post, "/api/v1/introductions/\(byTarget)/forward", token: cast.bob, json: #"{"note":"Hi Cyd"}"#)
                _ = try await client.send(.post, "/api/v1/introductions/\(byTarget)/pass", token: cast.cyd)

                // Nobody answers the third: eight days on, the job closes it.
                let unanswered = try await Self.ask(client, cast.ada).json["id"] as? String ?? ""
                let later = testServices(store, clock: TestClock(Date().addingTimeInterval(8 * 86_400)))
                #expect(try await later.introductions.attend().expired == 1)

                let session = try await client.signIn("ada")
                var answers: [String] = []
                var pages: [String] = []
                for id in [byConnector, byTarget, unanswered] {
                    let json = try await client.send(.get, "/api/v1/introductions/\(id)", token: cast.ada)
                    #expect(json.json["status"] as? String == "closed")
                    answers.append(Self.normalised(json.text, id: id))
                    let page = try await client.send(.get, "/introductions/\(id)", cookies: ["kith_session": session])
                    #expect(page.text.contains("Not this time"))
                    pages.append(Self.normalised(page.text, id: id))
                }
                #expect(Set(answers).count == 1, "the asker's API answers differ: \(answers)")
                #expect(Set(pages).count == 1, "the asker's pages differ")
                let notices = Self.items(try await client.send(.get, "/api/v1/notifications", token: cast.ada)).filter {
                    $0["kind"] as? String == "introduction"
                }
                #expect(notices.count == 3)
                #expect(Set(notices.map { "\($0["title"] ?? "")|\($0["body"] ?? "")" }).count == 1)
                // The exports say the same: the asker's three read "closed"; the target's holds only
                // the one forwarded to her; Eve's holds none.
                let exports = testServices(store).exports
                let adas = try await exports.export(handle: "ada").asks
                #expect(adas.count == 3 && adas.allSatisfy { $0.status == "closed" && $0.notes.isEmpty && $0.role == "asker" })
                #expect(try await exports.export(handle: "cyd").asks.map(\.id) == [byTarget])
                #expect(try await exports.export(handle: "eve").asks.isEmpty)
            }
        }
    }

    /// The text with the introduction's id and its creation time taken out.
    static func normalised(_ text: String, id: String) -> String {
        text.replacingOccurrences(of: id, with: "ID").replacing(/"created_at":"[^"]*"/, with: "\"created_at\":\"T\"")
    }

    @Test func theWholeFlowWorksThroughPagesWithoutJavaScript() async throws {
        try await withApp { client, _ in
            _ = try await Self.cast(client)
            let ada = try await client.signIn("ada")
            // The profile's warm path leads to the form, with the connector filled in.
            let profile = try await client.send(.get, "/in/cyd", cookies: ["kith_session": ada]).text
            #expect(profile.contains("/introductions/new?target=cyd&amp;via=bob"), "the profile links to the introduction form")
            let form = try await client.send(.get, "/introductions/new?target=cyd&via=bob", cookies: ["kith_session": ada])
            #expect(form.status == 200)
            #expect(form.text.contains(#"<option value="bob" selected>Bob"#) || form.text.contains(#"value="bob" selected"#))
            let csrf = try await client.csrf(session: ada)
            let tooLong = try await client.send(
                .post,
                "/introductions",
                cookies: ["kith_session": ada],
                form: [
                    ("_csrf", csrf), ("target", "cyd"), ("via", "bob"), ("purpose", "advice"),
                    ("blurb", String(repeating: "b", count: 601)), ("ask", "A call?"),
                ]
            )
            #expect(tooLong.status == 422)
            #expect(tooLong.text.contains(#"id="blurb-error""#), "the error is beside the field")
            #expect(tooLong.text.contains("A call?"), "what was typed is kept")
            let sent = try await client.send(
                .post,
                "/introductions",
                cookies: ["kith_session": ada],
                form: [
                    ("_csrf", csrf), ("target", "cyd"), ("via", "bob"), ("purpose", "advice"), ("blurb", "About Ada."), ("ask", "A call?"),
                ]
            )
            #expect(sent.status == 302 || sent.status == 303)
            let location = sent.headers[.location] ?? ""
            #expect(location.hasPrefix("/introductions/"))

            let bob = try await client.signIn("bob")
            let list = try await client.send(.get, "/introductions?role=connector", cookies: ["kith_session": bob]).text
            #expect(list.contains("Ada asks you to introduce them to Cyd Charisse"))
            let bobCSRF = try await client.csrf(session: bob)
            let forwarded = try await client.send(
                .post,
                location + "/forward",
                cookies: ["kith_session": bob],
                form: [("_csrf", bobCSRF), ("note", "You two should talk.")]
            )
            #expect(forwarded.headers[.location] == location)

            let cyd = try await client.signIn("cyd")
            let mine = try await client.send(.get, location, cookies: ["kith_session": cyd]).text
            #expect(mine.contains("Bob would like to introduce you to Ada"))
            #expect(mine.contains("You two should talk."))
            let accepted = try await client.send(
                .post,
                location + "/accept",
                cookies: ["kith_session": cyd],
                form: [("_csrf", try await client.csrf(session: cyd))]
            )
            #expect(accepted.headers[.location]?.hasPrefix("/messages/") == true, "accepting opens the conversation")
            let adaPage = try await client.send(.get, location, cookies: ["kith_session": ada]).text
            #expect(adaPage.contains("Open the conversation of three"))
            #expect(adaPage.contains("What came of it?"))
            let recorded = try await client.send(
                .post,
                location + "/outcome",
                cookies: ["kith_session": ada],
                form: [("_csrf", csrf), ("outcome", "helped"), ("note", "")]
            )
            #expect(recorded.headers[.location] == location)
            #expect(try await client.send(.get, location, cookies: ["kith_session": ada]).text.contains("You said: They helped."))
        }
    }
}

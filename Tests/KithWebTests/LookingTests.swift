import Foundation
import Hummingbird
import KithDomain
import KithTestSupport
import KithWeb
import Testing

/// The looking-for-work signal and the support circle: only the circle ever sees it.
@Suite struct LookingTests {
    static let secret = "Principal data engineer 8812"

    @Test func onlyTheCircleSeesTheSignalAndIsPromptedToHelp() async throws {
        try await withApp { client, services in
            let ada = try await client.register("ada")
            let bob = try await client.register("bob")
            let cyd = try await client.register("cyd")
            try await ConnectionsAPITests.connect(client, from: "ada", ada, to: "bob", bob)
            try await ConnectionsAPITests.connect(client, from: "ada", ada, to: "cyd", cyd)
            try await ConnectionsAPITests.connect(client, from: "bob", bob, to: "cyd", cyd)
            let set = try await client.send(
                .put,
                "/api/v1/me/looking",
                token: ada,
                json: #"{"active":true,"roles":["\#(Self.secret)"],"locations":["Lisbon","remote"],"circle":["bob"]}"#
            )
            #expect(set.status == 200, "\(set.text)")
            #expect((set.json["circle"] as? [[String: Any]])?.map { $0["handle"] as? String } == ["bob"])

            // Bob: in the circle, told once, sees it in his circle list, home page and plan.
            let circle = try await client.send(.get, "/api/v1/me/circle", token: bob)
            #expect((circle.json["items"] as? [[String: Any]])?.first?["roles"] as? [String] == [Self.secret])
            let told = try await client.send(.get, "/api/v1/notifications", token: bob).text
            #expect(told.contains("Ada is looking for their next role"))
            let bobHome = try await client.send(.get, "/", cookies: ["kith_session": try await client.signIn("bob")]).text
            #expect(bobHome.contains("Counting on you") && bobHome.contains(Self.secret))
            let plan = try await client.send(.get, "/api/v1/me/weekly-plan", token: bob).text
            #expect(plan.contains("Ada counts on you"))

            // Cyd — a connection, but not in the circle — sees it nowhere.
            let cydSession = try await client.signIn("cyd")
            for path in ["/", "/in/ada", "/directory?q=principal", "/suggestions", "/asks", "/me/looking", "/notifications"] {
                let page = try await client.send(.get, path, cookies: ["kith_session": cydSession])
                #expect(!page.text.contains(Self.secret), "\(path) shows the signal to someone outside the circle")
            }
            for path in [
                "/api/v1/me/circle", "/api/v1/members?q=principal", "/api/v1/members/ada", "/api/v1/notifications", "/api/v1/me/looking",
            ] {
                let reply = try await client.send(.get, path, token: cyd)
                #expect(!reply.text.contains(Self.secret), "\(path) shows the signal to someone outside the circle")
            }
            #expect(try await services.exports.export(handle: "cyd").looking == nil)
            #expect(try await services.exports.export(handle: "bob").looking == nil)
            #expect(try await services.exports.export(handle: "ada").looking?.roles == [Self.secret])

            // Ada's own home page is in transition mode.
            let adaHome = try await client.send(.get, "/", cookies: ["kith_session": try await client.signIn("ada")]).text
            #expect(adaHome.contains("Transition mode") && adaHome.contains("Your circle of 1"))

            // Switched off: the circle sees nothing any more.
            let off = try await client.send(.put, "/api/v1/me/looking", token: ada, json: #"{"active":false,"circle":["bob"]}"#)
            #expect(off.status == 200)
            #expect(!(try await client.send(.get, "/api/v1/me/circle", token: bob).text.contains("ada")))
        }
    }

    @Test func badInputNamesTheFieldAndChangesNothing() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            _ = try await client.register("stranger")
            let missing = try await client.send(.put, "/api/v1/me/looking", token: ada, json: #"{"roles":["x"]}"#)
            #expect(missing.status == 422 && missing.text.contains("active"))
            let notConnected = try await client.send(
                .put,
                "/api/v1/me/looking",
                token: ada,
                json: #"{"active":true,"circle":["stranger"]}"#
            )
            #expect(notConnected.status == 422 && notConnected.text.contains("circle"), "\(notConnected.text)")
            let unknown = try await client.send(.put, "/api/v1/me/looking", token: ada, json: #"{"active":true,"circle":["nobody-here"]}"#)
            #expect(unknown.status == 422 && unknown.text == unknown.text.replacingOccurrences(of: "not found", with: ""))
            let many = try await client.send(
                .put,
                "/api/v1/me/looking",
                token: ada,
                json: #"{"active":true,"roles":["a","b","c","d","e","f"]}"#
            )
            #expect(many.status == 422 && many.text.contains("roles"))
            let stored = try await client.send(.get, "/api/v1/me/looking", token: ada)
            #expect(stored.json["active"] as? Bool == false && (stored.json["roles"] as? [String])?.isEmpty == true)
            // The page shows the refusal beside the field and keeps what was typed.
            let session = try await client.signIn("ada")
            let page = try await client.send(
                .post,
                "/me/looking",
                cookies: ["kith_session": session],
                form: [
                    ("_csrf", try await client.csrf(session: session)), ("active", "true"), ("roles", "Analyst"), ("circle", "stranger"),
                ]
            )
            #expect(page.status == 422 && page.text.contains(#"id="circle-error""#) && page.text.contains("Analyst"))
        }
    }
}

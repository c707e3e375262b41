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

/// The authorisation matrix (quality gate 6): every route the router serves × an anonymous caller,
/// another member, a moderator, an admin and the owner of the private data it touches. The policy
/// table must name every route, so a new route fails here until someone decides who may call it.
/// Whatever the answer, no response to anyone but the owner may carry the owner's private data —
/// in its body or its headers. Each route is also sent the ways an attacker would: spelled with
/// a doubled slash, with the other credential type (the session cookie on the API, a bearer token
/// on pages), and as a page form without or with a wrong CSRF token; none of those may act.
@Suite struct AuthorizationMatrixTests {
    /// Who may call each route: written once, in its capability's route table.
    static let policy: [String: Access] = Dictionary(RouteCatalog.all.map { ($0.key, $0.access) }) { first, _ in first }

    /// The owner's own deletions, then routes that cut the caller off from the owner, then those
    /// that end the caller's credential: run in this order after everything else, for each caller.
    static let last: [String] = [
        "POST /contacts/:id/merge", "POST /api/v1/contacts/:id/merge", "DELETE /api/v1/contacts/:id", "POST /contacts/:id/delete",
        "POST /api/v1/events/:id/cancel", "POST /events/:id/cancel", "POST /api/v1/me/calendar", "POST /events/calendar",
        "POST /api/v1/asks/:id/resolve", "POST /asks/:id/resolve", "POST /api/v1/asks/:id/withdraw", "POST /asks/:id/withdraw",
        "POST /api/v1/members/:handle/block", "POST /in/:handle/block",
        "DELETE /api/v1/auth/token", "POST /signout",
    ]

    /// The owner's private data, planted so that any leak shows up as a marker in a response.
    struct Fixture {
        var contact = ""
        /// Deleted through the page while `contact` is deleted through the API.
        var pageContact = ""
        var followUp = ""
        var event = ""
        var conversation = ""
        var notification = ""
        var introduction = ""
        var ask = ""
        var offer = ""
        /// A resource of its own for each route that uses one up (accepting, ignoring, withdrawing,
        /// deleting), so the API route and the page route each find theirs.
        var byRoute: [String: String] = [:]
        var calendarToken = ""
        var checkInCode = ""
        var secrets: [String] = [
            "Zanzibar Quillfeather", "pineapple-ledger-7731", "marmalade-call-4410", "orchid-reminder-9152",
            "only-me-bio-6620", "conversation-secret-5508", "reply-secret-3307", "intro-blurb-8841", "ask-secret-7719", "looking-role-4471",
        ]
    }

    struct Caller {
        let name: String
        let token: String?
        let session: String?
        let csrf: String?
        /// HTTP Basic with one of the caller's app passwords: the DAV routes' credential.
        var dav: String? = nil
    }

    @Test func everyRouteAnswersEachCallerAsItsPolicySays() async throws {
        try await withMigratedStore { store async throws in
            let configuration = AppConfiguration(registration: .open, bcryptCost: 4, logLevel: .critical, registrationsPerHour: 0)
            let services = testServices(store)
            let routes = buildRouter(services: services, configuration: configuration).routes.map {
                "\($0.method.rawValue) " + $0.path.description.replacing(/\{([a-z]+)\}/) { ":" + $0.output.1 }
            }
            // The router serves exactly the routes of the route tables: none registered outside
            // them (without an access rule) and none listed that nothing serves.
            let unclassified = routes.filter { Self.policy[$0] == nil }
            #expect(unclassified.isEmpty, "routes served but in no route table: \(unclassified)")
            #expect(Set(Self.policy.keys).subtracting(routes).isEmpty, "routes in a table that the router does not serve")
            #expect(RouteCatalog.all.count == Set(RouteCatalog.all.map(\.key)).count, "a route is in the tables twice")
            #expect(routes.count >= 119)

            let app = try await buildApplication(configuration: configuration, store: store)
            try await app.test(.router) { raw in
                let client = Client(client: raw)
                let fixture = try await Self.plant(client)
                _ = try await services.accounts.setRole("admin", ofHandle: "olga")
                _ = try await services.accounts.setRole("moderator", ofHandle: "mona")
                var callers: [Caller] = [Caller(name: "anonymous", token: nil, session: nil, csrf: nil)]
                for handle in ["bob", "mona", "olga", "ada"] {
                    let session = try await client.signIn(handle)
                    let token =
                        try await client.send(
                            .post,
                            "/api/v1/auth/token",
                            json: #"{"email":"\#(handle)@example.org","password":"password-\#(handle)"}"#
                        ).json["token"] as? String
                    let password =
                        try await client.send(.post, "/api/v1/me/app-passwords", token: token, json: #"{"label":"matrix"}"#)
                        .json["password"] as? String ?? ""
                    callers.append(
                        Caller(
                            name: handle,
                            token: token,
                            session: session,
                            csrf: try await client.csrf(session: session),
                            dav: "Basic " + Data("\(handle):\(password)".utf8).base64EncodedString()
                        )
                    )
                }
                let ordered = routes.filter { !Self.last.contains($0) } + Self.last.filter { routes.contains($0) }
                var checked = 0
                var seenByOwner = ""
                for caller in callers {
                    for route in ordered {
                        let text = try await Self.check(route, as: caller, fixture: fixture, client: client)
                        if caller.name == "ada" { seenByOwner += text }
                        checked += 1
                    }
                }
                #expect(checked == routes.count * 5)
                // The markers are real: the owner does reach every one of them somewhere.
                // (The feed's address is shown only when made, so the owner reads it nowhere later.)
                for secret in fixture.secrets + [fixture.checkInCode] {
                    #expect(seenByOwner.contains(secret), "the owner never saw \(secret)")
                }
            }
        }
    }

    /// Ada owns everything private; Carol asked to connect with her, she asked Dave, Erin is connected.
    static func plant(_ client: Client) async throws -> Fixture {
        var fixture = Fixture()
        var tokens: [String: String] = [:]
        for handle in ["ada", "bob", "carol", "dave", "erin", "frank", "gina", "hank", "ivan", "olga", "mona", "kate"] {
            tokens[handle] = try await client.register(handle)
        }
        let ada = tokens["ada"]
        _ = try await client.send(
            .patch,
            "/api/v1/me/profile",
            token: ada,
            json: #"{"bio":"only-me-bio-6620","visibility":{"bio":"only_me"}}"#
        )
        for route in ["DELETE /api/v1/me/affiliations/:id", "POST /me/affiliations/:id/delete"] {
            fixture.byRoute[route] =
                try await client.send(
                    .post,
                    "/api/v1/me/affiliations",
                    token: ada,
                    json: #"{"kind":"school","organization":"State University","cohort":"Class of 2015"}"#
                ).json["id"] as? String ?? ""
        }
        let contact = try await client.send(
            .post,
            "/api/v1/contacts",
            token: ada,
            json: #"{"name":"Zanzibar Quillfeather","notes":"pineapple-ledger-7731","tags":["close"]}"#
        )
        fixture.contact = contact.json["id"] as? String ?? ""
        fixture.pageContact =
            try await client.send(.post, "/api/v1/contacts", token: ada, json: #"{"name":"Zanzibar Quillfeather Jr"}"#).json["id"]
            as? String ?? ""
        _ = try await client.send(
            .post,
            "/api/v1/contacts/\(fixture.contact)/interactions",
            token: ada,
            json: #"{"kind":"call","occurred_at":"\#(Moment.format(Date()))","note":"marmalade-call-4410"}"#
        )
        fixture.followUp =
            try await client.send(
                .post,
                "/api/v1/contacts/\(fixture.contact)/follow-ups",
                token: ada,
                json: #"{"due_at":"\#(Moment.format(Date().addingTimeInterval(86_400)))","text":"orchid-reminder-9152"}"#
            ).json["id"] as? String ?? ""
        let event = try await client.send(.post, "/api/v1/events", token: ada, json: EventsAPITests.event(capacity: 5)).json
        fixture.event = event["id"] as? String ?? ""
        fixture.checkInCode = event["check_in_code"] as? String ?? ""
        for (route, sender) in [
            ("POST /api/v1/connections/requests/:id/accept", "carol"), ("POST /api/v1/connections/requests/:id/ignore", "frank"),
            ("POST /network/requests/:id/accept", "gina"), ("POST /network/requests/:id/ignore", "hank"),
        ] {
            fixture.byRoute[route] =
                try await client.send(.post, "/api/v1/connections/requests", token: tokens[sender], json: #"{"to":"ada"}"#).json["id"]
                as? String ?? ""
        }
        for (route, recipient) in [("DELETE /api/v1/connections/requests/:id", "dave"), ("POST /network/requests/:id/withdraw", "ivan")] {
            fixture.byRoute[route] =
                try await client.send(.post, "/api/v1/connections/requests", token: ada, json: #"{"to":"\#(recipient)"}"#).json["id"]
                as? String ?? ""
        }
        let erin = try await client.send(.post, "/api/v1/connections/requests", token: tokens["erin"], json: #"{"to":"ada"}"#).json
        _ = try await client.send(.post, "/api/v1/connections/requests/\(erin["id"] as? String ?? "")/accept", token: ada)
        // A conversation between Ada and Erin: only they may reach it, and its words are private.
        fixture.conversation =
            try await client.send(.post, "/api/v1/conversations", token: ada, json: #"{"to":["erin"],"body":"conversation-secret-5508"}"#)
            .json["id"] as? String ?? ""
        _ = try await client.send(
            .post,
            "/api/v1/conversations/\(fixture.conversation)/messages",
            token: tokens["erin"],
            json: #"{"body":"reply-secret-3307"}"#
        )
        // Ada asks Erin to introduce her to Kate (whom Erin knows): only the three may reach it,
        // Kate only once it is forwarded, and its blurb is private to them.
        let kate = try await client.send(.post, "/api/v1/connections/requests", token: tokens["erin"], json: #"{"to":"kate"}"#).json
        _ = try await client.send(.post, "/api/v1/connections/requests/\(kate["id"] as? String ?? "")/accept", token: tokens["kate"])
        func introduce() async throws -> String {
            try await client.send(
                .post,
                "/api/v1/introductions",
                token: ada,
                json: #"{"target":"kate","via":"erin","purpose":"advice","blurb":"intro-blurb-8841","ask":"A short call?"}"#
            ).json["id"] as? String ?? ""
        }
        fixture.introduction = try await introduce()
        for route in ["POST /api/v1/introductions/:id/withdraw", "POST /introductions/:id/withdraw"] {
            fixture.byRoute[route] = try await introduce()
        }
        // Ada asks her connections for help (it reaches Erin, who offers): only the two reach it.
        fixture.ask =
            try await client.send(
                .post,
                "/api/v1/asks",
                token: ada,
                json: #"{"kind":"advice","title":"A first data role","body":"ask-secret-7719","audience":"connections"}"#
            ).json["id"] as? String ?? ""
        fixture.offer =
            (try await client.send(.post, "/api/v1/asks/\(fixture.ask)/offers", token: tokens["erin"], json: #"{"note":"Happy to help"}"#)
            .json["offers"] as? [[String: Any]])?.first?["id"] as? String ?? ""
        // Ada is looking for work; only Erin, her circle, may know.
        let looking = try await client.send(
            .put,
            "/api/v1/me/looking",
            token: ada,
            json: #"{"active":true,"roles":["looking-role-4471"],"locations":["Lisbon"],"circle":["erin"]}"#
        )
        #expect(looking.status == 200, "\(looking.text)")
        // Erin's reply told Ada: a notification of hers.
        let notifications = try await client.send(.get, "/api/v1/notifications", token: ada).json["items"] as? [[String: Any]] ?? []
        fixture.notification = notifications.first?["id"] as? String ?? ""
        for route in ["DELETE /api/v1/me/sessions/:id", "POST /me/sessions/:id/revoke"] {
            let label = "revocable-\(fixture.byRoute.count)"
            _ = try await client.send(
                .post,
                "/api/v1/auth/token",
                json: #"{"email":"ada@example.org","password":"password-ada","name":"\#(label)"}"#
            )
            let listed = try await client.send(.get, "/api/v1/me/sessions", token: ada).json["items"] as? [[String: Any]] ?? []
            fixture.byRoute[route] = listed.first { $0["name"] as? String == label }?["id"] as? String ?? ""
        }
        for route in ["DELETE /api/v1/me/app-passwords/:id", "POST /me/app-passwords/:id/revoke"] {
            fixture.byRoute[route] =
                try await client.send(.post, "/api/v1/me/app-passwords", token: ada, json: #"{"label":"revocable"}"#).json["id"]
                as? String ?? ""
        }
        fixture.byRoute["DELETE /dav/addressbooks/:handle/contacts/:card"] =
            try await client.send(.post, "/api/v1/contacts", token: ada, json: #"{"name":"Deleted over CardDAV"}"#).json["id"]
            as? String ?? ""
        let link = try await client.send(.post, "/api/v1/me/calendar", token: ada).json["url"] as? String ?? ""
        fixture.calendarToken = String(link.split(separator: "/").last ?? "").replacingOccurrences(of: ".ics", with: "")
        for (name, value) in [
            ("contact", fixture.contact + fixture.pageContact), ("follow-up", fixture.followUp), ("event", fixture.event),
            ("calendar", fixture.calendarToken), ("code", fixture.checkInCode), ("conversation", fixture.conversation),
            ("notification", fixture.notification), ("introduction", fixture.introduction), ("ask", fixture.ask),
            ("offer", fixture.offer),
        ] + fixture.byRoute.map { ($0.key, $0.value) } {
            #expect(!value.isEmpty, "fixture \(name) was not planted")
        }
        return fixture
    }

    /// The concrete address for a route, pointing at the owner's resources.
    static func address(_ route: String, fixture: Fixture) -> String {
        var path = String(route.split(separator: " ", maxSplits: 1)[1])
        let id: String
        switch path {
        case _ where fixture.byRoute[route] != nil: id = fixture.byRoute[route] ?? ""
        case "/contacts/:id/delete": id = fixture.pageContact
        case _ where path.contains("/contacts/:id"): id = fixture.contact
        case _ where path.contains("/follow-ups/:id"): id = fixture.followUp
        case _ where path.contains("/conversations/:id") || path.contains("/messages/:id"): id = fixture.conversation
        case _ where path.contains("/notifications/:id"): id = fixture.notification
        case _ where path.contains("/introductions/:id"): id = fixture.introduction
        case _ where path.contains("/asks/:id"): id = fixture.ask
        default: id = fixture.event
        }
        path = path.replacingOccurrences(of: ":id", with: id)
        let handle = path.contains("/connections/:handle") ? "erin" : "ada"
        path = path.replacingOccurrences(of: ":handle", with: handle)
        path = path.replacingOccurrences(of: ":tag", with: "close")
        path = path.replacingOccurrences(of: ":offer", with: fixture.offer)
        path = path.replacingOccurrences(of: ":file", with: "\(fixture.calendarToken).ics")
        path = path.replacingOccurrences(of: ":card", with: (fixture.byRoute[route] ?? fixture.contact) + ".vcf")
        path = path.replacingOccurrences(of: ":item", with: "weekly-plan.ics")
        return path
    }

    /// Sends the route as the caller, checks the answer against the policy; returns the body.
    static func check(_ route: String, as caller: Caller, fixture: Fixture, client: Client) async throws -> String {
        let parts = route.split(separator: " ", maxSplits: 1)
        let method = HTTPRequest.Method(rawValue: String(parts[0]))!
        let path = address(route, fixture: fixture)
        let isAPI = path.hasPrefix("/api/")
        let isDAV = Self.isDAV(path)
        let writes = method != .get
        let reply: Client.Reply
        if isDAV {
            reply = try await client.send(method, path, headers: caller.dav.map { [.authorization: $0] } ?? [:])
        } else if isAPI {
            reply = try await client.send(method, path, token: caller.token, json: writes ? "{}" : nil)
        } else {
            var cookies: [String: String] = [:]
            if let session = caller.session { cookies["kith_session"] = session }
            reply = try await client.send(method, path, cookies: cookies, form: writes ? [("_csrf", caller.csrf ?? "")] : nil)
        }
        let access = policy[route] ?? .member
        let label = "\(route) as \(caller.name) → \(reply.status)"
        #expect(reply.status < 500, "\(label): \(reply.text.prefix(200))")

        let isOwner = caller.name == "ada"
        var secrets = fixture.secrets + [fixture.calendarToken]
        if caller.name != "olga" && caller.name != "mona" { secrets.append(fixture.checkInCode) }
        func expectNoLeak(_ reply: Client.Reply, _ label: String, owner: Bool = isOwner) {
            guard !owner else { return }
            let headers = reply.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
            for secret in secrets where !(access == .secretAddress && secret == fixture.calendarToken) {
                if reply.text.contains(secret) { Issue.record("\(label) carries the owner's private \"\(secret)\"") }
                if headers.contains(secret) { Issue.record("\(label) carries the owner's private \"\(secret)\" in a header") }
            }
        }
        expectNoLeak(reply, label)
        expectSafeHeaders(reply, route: route, label: label)
        try await checkAsAnAttackerWould(route, as: caller, fixture: fixture, client: client, expectNoLeak: expectNoLeak)

        let refusedAnonymously: Bool = {
            if isAPI || isDAV { return reply.status == 401 }
            let location = reply.headers[.location] ?? ""
            return ((reply.status == 302 || reply.status == 303) && location.hasPrefix("/signin")) || reply.status == 401
                || (writes && reply.status == 403)
        }()
        let allowed = ![401, 403, 404].contains(reply.status)
        switch (access, caller.name) {
        case (.everyone, _), (.secretAddress, _):
            // Open to all: a sign-in form may still say the password is wrong (401).
            #expect(!(reply.status == 302 && (reply.headers[.location] ?? "").hasPrefix("/signin")), "\(label)")
        case (_, "anonymous"):
            #expect(refusedAnonymously, "\(label): a signed-out caller must be sent to sign in")
        case (.member, _), (.caller, _):
            // 404 only when the address or the body names something that is not there for the caller.
            #expect(allowed || reply.status == 404 && (route.contains(":") || writes), "\(label)")
        case (.owner, "ada"), (.organizer, "ada"), (.organizer, "olga"), (.organizer, "mona"), (.attendee, "ada"), (.admin, "olga"):
            #expect(allowed, "\(label): the owner is refused")
        case (.owner, _), (.organizer, _), (.attendee, _):
            // Moderators and admins get no way into a member's private resources.
            #expect([403, 404].contains(reply.status), "\(label): someone else's private resource")
        case (.admin, _):
            #expect([403, 404].contains(reply.status), "\(label): admins only")
        case (.refused, "ada"):
            #expect(reply.status == 403, "\(label): the owner is told it is read-only")
        case (.refused, _):
            #expect([403, 404].contains(reply.status), "\(label): someone else's read-only resource")
        }
        return reply.text
    }

    static func isDAV(_ path: String) -> Bool { path.hasPrefix("/dav") || path.hasPrefix("/.well-known/") }

    /// Headers every answer must have: not cached (but the public assets), redirects only to this
    /// site's own paths, cookies never readable by script nor sent cross-site.
    static func expectSafeHeaders(_ reply: Client.Reply, route: String, label: String) {
        let publicAsset = ["GET /assets/kith.css", "GET /assets/kith.js", "GET /favicon.ico", "GET /favicon.svg"].contains(route)
        if !publicAsset {
            #expect(reply.headers[.cacheControl] == "no-store", "\(label): Cache-Control \(reply.headers[.cacheControl] ?? "missing")")
        }
        if let location = reply.headers[.location] {
            #expect(location.hasPrefix("/") && !location.hasPrefix("//") && !location.contains("\\"), "\(label): Location \(location)")
        }
        for cookie in reply.headers[values: .setCookie] {
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "\(label): Set-Cookie \(cookie)")
        }
    }

    /// The same route sent the ways an attacker would; none of them may act or leak.
    static func checkAsAnAttackerWould(
        _ route: String,
        as caller: Caller,
        fixture: Fixture,
        client: Client,
        expectNoLeak: (Client.Reply, String, Bool) -> Void
    ) async throws {
        let parts = route.split(separator: " ", maxSplits: 1)
        let method = HTTPRequest.Method(rawValue: String(parts[0]))!
        let path = address(route, fixture: fixture)
        let isAPI = path.hasPrefix("/api/")
        let isDAV = Self.isDAV(path)
        let writes = method != .get
        let access = policy[route] ?? .member
        var cookies: [String: String] = [:]
        if let session = caller.session { cookies["kith_session"] = session }

        // 1. A doubled slash: a GET is sent to the one spelling, anything else is not found.
        let doubled = try await client.send(
            method,
            "/" + path,
            token: isDAV ? nil : caller.token,
            cookies: cookies,
            json: isAPI && writes ? "{}" : nil,
            form: !isAPI && !isDAV && writes ? [("_csrf", caller.csrf ?? "")] : nil,
            headers: isDAV ? caller.dav.map { [.authorization: $0] } ?? [:] : [:]
        )
        let doubledLabel = "\(route) as \(caller.name) spelled //… → \(doubled.status)"
        if writes {
            #expect(doubled.status == 404, "\(doubledLabel)")
        } else {
            #expect(doubled.status == 308 && doubled.headers[.location] == path, "\(doubledLabel)")
        }
        expectNoLeak(doubled, doubledLabel, false)

        // 2. The other credential type: treated as no credential at all.
        guard caller.name != "anonymous", access != .everyone, access != .secretAddress else { return }
        let crossed: Client.Reply
        if isDAV {
            // Neither the session cookie nor a bearer token (nor the account password) opens DAV.
            crossed = try await client.send(method, path, token: caller.token, cookies: cookies)
            #expect(crossed.status == 401, "\(route) as \(caller.name) with a bearer token and cookie on DAV → \(crossed.status)")
            let password = try await client.send(
                method,
                path,
                headers: [.authorization: "Basic " + Data("\(caller.name):password-\(caller.name)".utf8).base64EncodedString()]
            )
            #expect(password.status == 401, "\(route) as \(caller.name) with the account password on DAV → \(password.status)")
            expectNoLeak(password, "\(route) as \(caller.name) with the account password", false)
        } else if isAPI {
            crossed = try await client.send(method, path, cookies: cookies, json: writes ? "{}" : nil)
            #expect(crossed.status == 401, "\(route) as \(caller.name) with the session cookie on the API → \(crossed.status)")
        } else {
            crossed = try await client.send(method, path, token: caller.token, form: writes ? [("_csrf", caller.csrf ?? "")] : nil)
            let location = crossed.headers[.location] ?? ""
            let refused = (crossed.status == 302 && location.hasPrefix("/signin")) || crossed.status == 401 || crossed.status == 403
            #expect(refused, "\(route) as \(caller.name) with a bearer token on a page → \(crossed.status)")
        }
        expectNoLeak(crossed, "\(route) as \(caller.name) with the other credential", false)

        // 3. A page form without its CSRF token, or with another one, does nothing.
        guard !isAPI, !isDAV, writes else { return }
        for (name, form) in [("no", [(String, String)]()), ("a wrong", [("_csrf", "forged-\(caller.csrf ?? "")")])] {
            let forged = try await client.send(method, path, cookies: cookies, form: form)
            #expect(forged.status == 403, "\(route) as \(caller.name) with \(name) CSRF token → \(forged.status)")
            expectNoLeak(forged, "\(route) as \(caller.name) with \(name) CSRF token", false)
        }
    }
}

import Foundation
import Hummingbird
import KithDomain
import KithTestSupport
import Testing

/// The relationship manager over HTTP: the contract in shared/API.md, the pages, and the rule
/// that nobody but the owner reaches any of it.
@Suite struct ContactsAPITests {
    static func contact(_ client: Client, _ token: String, _ json: String) async throws -> String {
        let reply = try await client.send(.post, "/api/v1/contacts", token: token, json: json)
        #expect(reply.status == 201, "\(reply.text)")
        return reply.json["id"] as? String ?? ""
    }

    @Test func contactLifecycleFollowsTheContract() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            _ = try await client.register("grace", name: "Grace Hopper")
            let id = try await Self.contact(
                client,
                ada,
                #"{"name":"Grace Hopper","member":"grace","emails":["grace@navy.example"],"tags":["close"],"how_we_met":"COBOL committee","cadence_days":21}"#
            )
            let shown = try await client.send(.get, "/api/v1/contacts/\(id)", token: ada)
            #expect(shown.status == 200)
            let contact = shown.json["contact"] as? [String: Any] ?? [:]
            #expect(contact["member"] as? String == "grace")
            #expect(contact["status"] as? String == "ok")
            #expect(contact["last_interaction_at"] is NSNull)
            #expect(contact["next_due_at"] is String)
            #expect((shown.json["profile"] as? [String: Any])?["handle"] as? String == "grace")

            let logged = try await client.send(
                .post,
                "/api/v1/contacts/\(id)/interactions",
                token: ada,
                json: #"{"kind":"coffee","note":"Talked compilers"}"#
            )
            #expect(logged.status == 201, "\(logged.text)")
            #expect((logged.json["contact"] as? [String: Any])?["last_interaction_at"] is String)
            let timeline = try await client.send(.get, "/api/v1/contacts/\(id)/interactions", token: ada).json["items"] as? [[String: Any]]
            #expect(timeline?.first?["kind"] as? String == "coffee")

            let followUp = try await client.send(
                .post,
                "/api/v1/contacts/\(id)/follow-ups",
                token: ada,
                json: #"{"due_at":"2030-05-01","text":"Send the paper"}"#
            )
            #expect(followUp.status == 201)
            let followUpID = followUp.json["id"] as? String ?? ""
            #expect(try await client.send(.post, "/api/v1/follow-ups/\(followUpID)/done", token: ada).json["done"] as? Bool == true)

            let patched = try await client.send(
                .patch,
                "/api/v1/contacts/\(id)",
                token: ada,
                json: #"{"title":"Rear Admiral","cadence_days":0}"#
            )
            #expect(patched.json["title"] as? String == "Rear Admiral")
            #expect(patched.json["cadence_days"] is NSNull)
            #expect(patched.json["effective_cadence_days"] as? Int == 30)

            let board = try await client.send(.get, "/api/v1/keep-in-touch", token: ada).json
            #expect(Set(board.keys) == ["due", "overdue", "dormant_worth_reviving", "follow_ups"])
            let ledger = try await client.send(.get, "/api/v1/reciprocity", token: ada).json
            #expect((ledger["totals"] as? [String: Any])?["balance"] as? Int == 0)
            #expect(
                try await client.send(.put, "/api/v1/cadences/network", token: ada, json: #"{"ideal_days":60}"#).json["max_days"] as? Int
                    == 90
            )
            #expect(try await client.send(.delete, "/api/v1/contacts/\(id)", token: ada).status == 204)
            #expect(try await client.send(.get, "/api/v1/contacts/\(id)", token: ada).status == 404)
        }
    }

    @Test func badInputNamesTheFieldAndStoresNothing() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let bad = try await client.send(
                .post,
                "/api/v1/contacts",
                token: ada,
                json: #"{"name":"","emails":["nope"],"cadence_days":-3,"colour":"red"}"#
            )
            #expect(bad.status == 422)
            #expect(bad.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            #expect(bad.text.contains(#""field":"colour""#))
            let worse = try await client.send(
                .post,
                "/api/v1/contacts",
                token: ada,
                json: #"{"name":"","emails":["nope"],"cadence_days":-3}"#
            )
            let fields = Set(((worse.json["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String })
            #expect(fields == ["name", "emails[0]", "cadence_days"])
            #expect(try await client.send(.post, "/api/v1/contacts", token: ada, json: #"{"name": 7}"#).status == 422)
            #expect(try await client.send(.post, "/api/v1/contacts", token: ada, json: "{").status == 400)
            let id = try await Self.contact(client, ada, #"{"name":"Grace"}"#)
            let kind = try await client.send(.post, "/api/v1/contacts/\(id)/interactions", token: ada, json: #"{"kind":"lunch"}"#)
            #expect(kind.status == 422)
            #expect(kind.text.contains("kind"))
            let when = try await client.send(
                .post,
                "/api/v1/contacts/\(id)/interactions",
                token: ada,
                json: #"{"kind":"call","occurred_at":"2999-01-01"}"#
            )
            #expect(when.status == 422)
            #expect(when.text.contains("occurred_at"))
            #expect(try await client.send(.post, "/api/v1/contacts/\(id)/follow-ups", token: ada, json: #"{"text":"x"}"#).status == 422)
            #expect(try await client.send(.post, "/api/v1/contacts/\(id)/snooze", token: ada, json: #"{"days":0}"#).status == 422)
            #expect(
                try await client.send(.put, "/api/v1/cadences/close", token: ada, json: #"{"ideal_days":30,"max_days":2}"#).status == 422
            )
            #expect(try await client.send(.get, "/api/v1/contacts?status=sleepy", token: ada).status == 422)
            #expect(try await client.send(.get, "/api/v1/contacts/not-a-uuid", token: ada).status == 404)
            let list = try await client.send(.get, "/api/v1/contacts", token: ada).json["items"] as? [Any]
            #expect(list?.count == 1)
            #expect(try await client.send(.get, "/api/v1/contacts/\(id)/interactions", token: ada).json["items"] as? [Any] == nil || true)
            let timeline = try await client.send(.get, "/api/v1/contacts/\(id)/interactions", token: ada).json["items"] as? [Any]
            #expect(timeline?.isEmpty == true)
        }
    }

    /// Every relationship route, for a stranger and for an anonymous caller: 404 and 401, and
    /// never a trace of the owner's data in the answer.
    @Test func nobodyButTheOwnerReachesAnyOfIt() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let eve = try await client.register("eve")
            let id = try await Self.contact(client, ada, #"{"name":"Secret Source","notes":"Pelican briefcase","tags":["whistle"]}"#)
            let followUp =
                try await client.send(
                    .post,
                    "/api/v1/contacts/\(id)/follow-ups",
                    token: ada,
                    json: #"{"due_at":"2030-01-01","text":"Pelican"}"#
                ).json["id"] as? String ?? ""
            let routes: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/api/v1/contacts/\(id)", nil), (.patch, "/api/v1/contacts/\(id)", #"{"name":"x"}"#),
                (.delete, "/api/v1/contacts/\(id)", nil), (.post, "/api/v1/contacts/\(id)/interactions", #"{"kind":"call"}"#),
                (.get, "/api/v1/contacts/\(id)/interactions", nil),
                (.post, "/api/v1/contacts/\(id)/follow-ups", #"{"due_at":"2030-01-01","text":"x"}"#),
                (.post, "/api/v1/contacts/\(id)/snooze", #"{"days":3}"#), (.post, "/api/v1/contacts/\(id)/done", nil),
                (.post, "/api/v1/follow-ups/\(followUp)/done", nil),
                (.post, "/api/v1/contacts/\(id)/merge", #"{"from":"\#(id)"}"#),
            ]
            for (method, path, body) in routes {
                let stranger = try await client.send(method, path, token: eve, json: body)
                #expect(stranger.status == 404, "\(method) \(path) as another member: \(stranger.status)")
                #expect(!stranger.text.contains("Secret") && !stranger.text.contains("Pelican"))
                #expect(try await client.send(method, path, json: body).status == 401, "\(method) \(path) anonymously")
            }
            for path in [
                "/api/v1/contacts", "/api/v1/contacts?q=secret", "/api/v1/keep-in-touch", "/api/v1/reciprocity", "/api/v1/follow-ups",
                "/api/v1/contacts/export", "/api/v1/notifications", "/api/v1/contacts/duplicates", "/api/v1/members?q=pelican",
                "/api/v1/members?q=secret",
            ] {
                let reply = try await client.send(.get, path, token: eve)
                #expect(!reply.text.contains("Secret") && !reply.text.contains("Pelican"), "\(path) leaks to another member")
            }
            let eveSession = try await client.signIn("eve")
            for page in ["/contacts/\(id)", "/contacts", "/keep-in-touch", "/reciprocity", "/contacts/export.vcf", "/directory?q=pelican"] {
                let reply = try await client.send(.get, page, cookies: ["kith_session": eveSession])
                #expect(!reply.text.contains("Secret") && !reply.text.contains("Pelican"), "\(page) leaks to another member")
            }
            #expect(try await client.send(.get, "/contacts/\(id)", cookies: ["kith_session": eveSession]).status == 404)
            // The owner still has everything.
            let own = try await client.send(.get, "/api/v1/contacts/\(id)", token: ada)
            #expect(own.text.contains("Pelican briefcase"))
        }
    }

    @Test func importsTakeRawBodiesAndMultipartAndExportVCards() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let vcard =
                "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada Byron\r\nEMAIL:ada@example.org\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:4.0\r\nEND:VCARD\r\n"
            let raw = try await client.send(
                .post,
                "/api/v1/contacts/import?format=vcard",
                token: ada,
                headers: [.contentType: "text/vcard"],
                body: vcard
            )
            #expect(raw.status == 200, "\(raw.text)")
            #expect(raw.json["created"] as? Int == 1)
            #expect(((raw.json["errors"] as? [[String: Any]]) ?? []).first?["line"] as? Int == 6)
            let boundary = "kithboundary42"
            let csv =
                "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\nAlan,Turing,u,,Bletchley,Codes,02 Jan 2019\r\n"
            let multipart = [
                "--\(boundary)", #"Content-Disposition: form-data; name="format""#, "", "linkedin_csv",
                "--\(boundary)", #"Content-Disposition: form-data; name="file"; filename="Connections.csv""#, "Content-Type: text/csv", "",
                csv,
                "--\(boundary)--", "",
            ].joined(separator: "\r\n")
            let uploaded = try await client.send(
                .post,
                "/api/v1/contacts/import",
                token: ada,
                headers: [.contentType: "multipart/form-data; boundary=\(boundary)"],
                body: multipart
            )
            #expect(uploaded.status == 200, "\(uploaded.text)")
            #expect(uploaded.json["created"] as? Int == 1)
            #expect(try await client.send(.post, "/api/v1/contacts/import?format=excel", token: ada, body: "x").status == 422)
            let exported = try await client.send(.get, "/api/v1/contacts/export?format=vcard", token: ada)
            #expect(exported.headers[.contentType]?.hasPrefix("text/vcard") == true)
            #expect(exported.text.components(separatedBy: "BEGIN:VCARD").count == 3)
            #expect(exported.text.contains("FN:Alan Turing"))
        }
    }

    @Test func pagesShowTheManagerAndFormErrorsBesideTheirFields() async throws {
        try await withApp { client, _ in
            _ = try await client.register("ada")
            let session = try await client.signIn("ada")
            let csrf = try await client.csrf(session: session, page: "/contacts/new")
            let missing = try await client.send(
                .post,
                "/contacts",
                cookies: ["kith_session": session],
                form: [("_csrf", csrf), ("name", ""), ("emails", "nope")]
            )
            #expect(missing.status == 422)
            #expect(missing.text.contains(#"id="name-error""#))
            #expect(missing.text.contains(#"id="emails-error""#))
            let created = try await client.send(
                .post,
                "/contacts",
                cookies: ["kith_session": session],
                form: [
                    ("_csrf", csrf), ("name", #"Grace <b>Hopper</b> "x" onfocus="alert(1)"#), ("tags", "close, navy"), ("cadence_days", ""),
                ]
            )
            #expect(created.status == 303)
            let location = created.headers[.location] ?? ""
            #expect(location.hasPrefix("/contacts/"))
            let page = try await client.send(.get, location, cookies: ["kith_session": session])
            #expect(page.text.contains("<h1>Grace &lt;b&gt;Hopper&lt;/b&gt;"))
            #expect(!page.text.contains(#""x" onfocus="alert(1)""#))
            let logged = try await client.send(
                .post,
                location + "/interactions",
                cookies: ["kith_session": session],
                form: [("_csrf", csrf), ("kind", "coffee"), ("note", "Nanoseconds"), ("occurred_at", "")]
            )
            #expect(logged.status == 303)
            let bad = try await client.send(
                .post,
                location + "/interactions",
                cookies: ["kith_session": session],
                form: [("_csrf", csrf), ("kind", "lunch")]
            )
            #expect(bad.status == 422)
            #expect(bad.text.contains(#"id="kind-error""#))
            let noToken = try await client.send(
                .post,
                location + "/interactions",
                cookies: ["kith_session": session],
                form: [("kind", "call")]
            )
            #expect(noToken.status == 403)
            let timeline = try await client.send(.get, location, cookies: ["kith_session": session]).text
            #expect(timeline.contains("Nanoseconds"))
            #expect(timeline.components(separatedBy: "<h1").count == 2)
            for path in ["/contacts", "/keep-in-touch", "/reciprocity", "/contacts/import", "/notifications"] {
                let reply = try await client.send(.get, path, cookies: ["kith_session": session])
                #expect(reply.status == 200, "\(path)")
                #expect(reply.text.components(separatedBy: "<h1").count == 2, "\(path) has one h1")
            }
            // Attribute values are escaped everywhere user input can reach them (Plot leaves them raw).
            let reflected = try await client.send(
                .get,
                "/directory?q=%22%20onfocus%3D%22alert(1)&skill=%27%3E%3Cscript%3E",
                cookies: ["kith_session": session]
            )
            #expect(!reflected.text.contains(#"" onfocus=""#))
            #expect(!reflected.text.contains("<script>"))
            #expect(reflected.text.contains("&quot; onfocus=&quot;alert(1)"))
            let anonymous = try await client.send(.get, "/contacts")
            #expect(anonymous.status == 302)
            #expect(anonymous.headers[.location]?.hasPrefix("/signin") == true)
        }
    }

    @Test func profilesOfferGiveBeforeYouAskOnIntroductionPaths() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let bob = try await client.register("bob")
            let cyd = try await client.register("cyd", name: "Cyd Charisse")
            try await ConnectionsAPITests.connect(client, from: "ada", ada, to: "bob", bob)
            try await ConnectionsAPITests.connect(client, from: "bob", bob, to: "cyd", cyd)
            let session = try await client.signIn("ada")
            let before = try await client.send(.get, "/in/cyd", cookies: ["kith_session": session]).text
            #expect(before.contains("Ask Bob for an introduction"))
            #expect(
                before.contains("Give before you ask: you haven&#39;t logged any help for Bob")
                    || before.contains("Give before you ask: you haven't logged any help for Bob")
            )
            #expect(before.contains("Add Cyd Charisse to your private contacts"))
            let bobContact = try await Self.contact(client, ada, #"{"name":"Bob","member":"bob"}"#)
            _ = try await client.send(
                .post,
                "/api/v1/contacts/\(bobContact)/interactions",
                token: ada,
                json: #"{"kind":"help_given","help":"advice"}"#
            )
            _ = try await Self.contact(client, ada, #"{"name":"Cyd","member":"cyd","notes":"Dancer friend"}"#)
            let after = try await client.send(.get, "/in/cyd", cookies: ["kith_session": session]).text
            #expect(!after.contains("Give before you ask"))
            #expect(after.contains("In your contacts (only you see this)"))
            // Bob looking at Cyd sees his own context only, never Ada's.
            let bobSession = try await client.signIn("bob")
            let bobsView = try await client.send(.get, "/in/cyd", cookies: ["kith_session": bobSession]).text
            #expect(!bobsView.contains("In your contacts"))
            #expect(!bobsView.contains("Dancer"))
        }
    }
}

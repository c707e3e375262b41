import Foundation
import Hummingbird
import HummingbirdTesting
import KithDomain
import KithTestSupport
import Testing

@testable import KithWeb

/// The holes found against a running server (issue #12) and the rules that close each class.
@Suite struct SecurityHardeningTests {
    static let breakout = #"https://x.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/"><a x=""#

    @Test func aWebsiteThatBreaksOutOfItsAttributeIsRefusedWithTheField() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let body = try JSONSerialization.data(withJSONObject: ["website": Self.breakout, "visibility": ["contact": "community"]])
            let reply = try await client.send(.patch, "/api/v1/me/profile", token: ada, json: String(decoding: body, as: UTF8.self))
            #expect(reply.status == 422)
            #expect((reply.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "website")
            let stored = try await client.send(
                .patch,
                "/api/v1/me/profile",
                token: ada,
                json: #"{"website":"HTTPS://Ada.Example/Notes?a=1&b=2"}"#
            )
            #expect(
                (stored.json["contact"] as? [String: Any])?["website"] as? String == "https://ada.example/Notes?a=1&b=2",
                "\(stored.text)"
            )
            // On the page form the message stands beside the field.
            let session = try await client.signIn("ada")
            let csrf = try await client.csrf(session: session)
            let page = try await client.send(
                .post,
                "/me/edit",
                cookies: ["kith_session": session],
                form: [("_csrf", csrf), ("name", "Ada"), ("website", Self.breakout)]
            )
            #expect(page.status == 422)
            #expect(page.text.contains(#"id="website-error""#))
            #expect(!page.text.contains("<meta http-equiv"))
        }
    }

    @Test func anEventLinkIsCheckedTheSameWay() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            var event = try #require(try JSONSerialization.jsonObject(with: Data(EventsAPITests.event(capacity: 5).utf8)) as? [String: Any])
            event["online_url"] = "javascript:alert(1)"
            let reply = try await client.send(
                .post,
                "/api/v1/events",
                token: ada,
                json: String(decoding: try JSONSerialization.data(withJSONObject: event), as: UTF8.self)
            )
            #expect(reply.status == 422)
            #expect((reply.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "online_url")
        }
    }

    /// Every Plot helper that writes an attribute, called from KithWeb's side, escapes its value.
    @Test func everyAttributeHelperEscapes() {
        let hostile = #"x" onload="alert(1)' <b>&"#
        let escaped = "x&quot; onload=&quot;alert(1)&#39; &lt;b&gt;&amp;"
        var html = AttributeEscapingSample.render(hostile)
        // The <title> element's text may hold quotes (text is escaped by Plot, and quotes are harmless there).
        html.replace(/<title>[^<]*<\/title>/, with: "")
        #expect(!html.contains(hostile))
        #expect(!html.contains("onload=\"alert"))
        #expect(html.components(separatedBy: escaped).count - 1 >= 22, "\(html)")
    }

    @Test func nonCanonicalPathsAreRedirectedOrRefused() async throws {
        try await withApp { client, _ in
            _ = try await client.register("ada")
            let session = try await client.signIn("ada")
            let cookies = ["kith_session": session]
            for (path, canonical) in [
                ("//api/v1/contacts", "/api/v1/contacts"), ("/./contacts", "/contacts"), ("/contacts/", "/contacts"),
                ("/events//attended?x=1", "/events/attended?x=1"), ("/x/../contacts", "/contacts"), ("//evil.example/", "/evil.example"),
            ] {
                let reply = try await client.send(.get, path, cookies: cookies)
                #expect(reply.status == 308, "\(path) → \(reply.status)")
                #expect(reply.headers[.location] == canonical, "\(path) → \(reply.headers[.location] ?? "none")")
            }
            for path in ["//api/v1/contacts", "/api/v1/contacts/", "/./api/v1/contacts"] {
                let reply = try await client.send(
                    .post,
                    path,
                    cookies: cookies,
                    headers: [.contentType: "text/plain"],
                    body: #"{"name":"Planted"}"#
                )
                #expect(reply.status == 404, "POST \(path) → \(reply.status)")
            }
        }
    }

    @Test func theAPINeverTakesTheSessionCookieAndPagesNeverTakeABearerToken() async throws {
        try await withApp { client, _ in
            let token = try await client.register("ada")
            let session = try await client.signIn("ada")
            let cookies = ["kith_session": session]
            #expect(try await client.send(.get, "/api/v1/contacts", cookies: cookies).status == 401)
            let forged = try await client.send(.post, "/api/v1/contacts", cookies: cookies, json: #"{"name":"Planted"}"#)
            #expect(forged.status == 401)
            let page = try await client.send(.get, "/contacts", token: token)
            #expect(page.status == 302 && page.headers[.location]?.hasPrefix("/signin") == true)
            #expect(try await client.send(.get, "/api/v1/contacts", token: token).json["items"] != nil)
        }
    }

    @Test func apiWritesMustBeJSON() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""] {
                var headers: HTTPFields = [:]
                if !type.isEmpty { headers[.contentType] = type }
                let reply = try await client.send(.post, "/api/v1/contacts", token: ada, headers: headers, body: #"{"name":"Planted"}"#)
                #expect(reply.status == 415, "\(type) → \(reply.status)")
                #expect(reply.headers[.contentType] == "application/problem+json")
            }
            #expect(try await client.send(.get, "/api/v1/contacts", token: ada).json["items"].map { ($0 as? [Any])?.isEmpty } == true)
            let json = try await client.send(
                .post,
                "/api/v1/contacts",
                token: ada,
                headers: [.contentType: "application/json; charset=utf-8"],
                body: #"{"name":"Fine"}"#
            )
            #expect(json.status == 201)
            // A write without a body needs no type; an upload route names the files it takes.
            let bob = try await client.register("bob")
            let request = try await client.send(.post, "/api/v1/connections/requests", token: bob, json: #"{"to":"ada"}"#)
            let id = request.json["id"] as? String ?? ""
            #expect(try await client.send(.post, "/api/v1/connections/requests/\(id)/accept", token: ada).status == 200)
            let upload = try await client.send(
                .post,
                "/api/v1/contacts/import?format=vcard",
                token: ada,
                headers: [.contentType: "text/vcard"],
                body: "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Grace\r\nEND:VCARD\r\n"
            )
            #expect(upload.status == 200)
        }
    }

    @Test func noAnswerIsCachedButThePublicAssets() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let session = try await client.signIn("ada")
            for path in ["/contacts", "/keep-in-touch", "/me/edit", "/notifications", "/network", "/", "/signin"] {
                let reply = try await client.send(.get, path, cookies: ["kith_session": session])
                #expect(reply.headers[.cacheControl] == "no-store", "\(path): \(reply.headers[.cacheControl] ?? "none")")
            }
            for path in ["/api/v1/contacts", "/api/v1/me", "/api/v1/me/calendar"] {
                #expect(try await client.send(.get, path, token: ada).headers[.cacheControl] == "no-store", "\(path)")
            }
            let feed = try await client.send(.post, "/api/v1/me/calendar", token: ada).json["url"] as? String ?? ""
            let feedPath = String(feed.drop { $0 != "/" }.dropFirst(2).drop { $0 != "/" })
            let calendar = try await client.send(.get, feedPath)
            #expect(calendar.status == 200, "\(feedPath)")
            #expect(calendar.headers[.cacheControl] == "no-store")
            #expect(try await client.send(.get, "/assets/kith.css").headers[.cacheControl]?.hasPrefix("public") == true)
        }
    }

    @Test(arguments: [
        ("/%09/evil.example/", "/"), ("//evil.example", "/"), ("/\\evil.example", "/"), ("/%5Cevil.example", "/"),
        ("/%2F%2Fevil.example", "/"), ("https://evil.example/", "/"), ("/./%2e/evil", "/"), ("/\u{3000}/evil.example", "/"),
        ("/events?mine=true", "/events?mine=true"), ("/in/ada", "/in/ada"),
        ("/directory?q=data%20engineer", "/directory?q=data%20engineer"),
    ])
    func signInRedirectsOnlyToPlainSameSitePaths(_ next: String, _ expected: String) {
        #expect(Pages.safeNext(next) == expected)
    }

    @Test func theSignInFormCarriesOnlyASafeNext() async throws {
        try await withApp { client, _ in
            _ = try await client.register("ada")
            let form = try await client.send(.get, "/signin?next=/%09/evil.example/")
            #expect(form.text.contains(#"name="next" value="/""#))
            let csrf = form.cookieValue("kith_csrf") ?? ""
            let reply = try await client.send(
                .post,
                "/signin",
                cookies: ["kith_csrf": csrf],
                form: [("_csrf", csrf), ("email", "ada@example.org"), ("password", "password-ada"), ("next", "/%09/evil.example/")]
            )
            #expect(reply.status == 303)
            #expect(reply.headers[.location] == "/")
        }
    }

    @Test func forwardedAddressesAreBelievedOnlyFromTrustedProxies() throws {
        let proxies = [try #require(NetworkRange("10.0.0.0/8")), try #require(NetworkRange("::1"))]
        func resolve(_ peer: String, _ forwarded: [String], proto: String? = nil) -> ClientOrigin {
            ClientOrigin.resolve(peer: peer, forwardedFor: forwarded, forwardedProto: proto, trustedProxies: proxies, configuredTLS: false)
        }
        // An untrusted peer picks nothing.
        #expect(resolve("203.0.113.9", ["198.51.100.1"], proto: "https") == ClientOrigin(rateLimitKey: "203.0.113.9", overTLS: false))
        // Behind a trusted proxy: the nearest address no trusted proxy owns; what the client wrote further left is ignored.
        #expect(resolve("10.1.2.3", ["1.1.1.1, 198.51.100.7"], proto: "https") == ClientOrigin(rateLimitKey: "198.51.100.7", overTLS: true))
        #expect(resolve("10.1.2.3", ["1.1.1.1", "198.51.100.7, 10.9.9.9"]).rateLimitKey == "198.51.100.7")
        #expect(resolve("10.1.2.3", []).rateLimitKey == "10.1.2.3")
        #expect(resolve("::ffff:10.1.2.3", ["garbage, 192.0.2.5"]).rateLimitKey == "192.0.2.5")
        // IPv6 clients are counted by their /64.
        #expect(resolve("2001:db8:1:2:aaaa::1", []).rateLimitKey == "2001:db8:1:2::/64")
        #expect(resolve("2001:db8:1:2:bbbb::9", []).rateLimitKey == resolve("2001:db8:1:2:aaaa::1", []).rateLimitKey)
        #expect(resolve("::1", ["2001:db8:1:3::5"]).rateLimitKey == "2001:db8:1:3::/64")
        #expect(NetworkRange("10.0.0.0/33") == nil && NetworkRange("not-an-address") == nil)
        #expect(NetworkRange("192.168.0.0/16")?.contains(try #require(NetworkAddress("192.168.40.1"))) == true)
        #expect(NetworkRange("192.168.0.0/16")?.contains(try #require(NetworkAddress("192.169.0.1"))) == false)
    }

    /// Ids and handles inside bodies are checked like ids in the address: another member's
    /// contact cannot be merged in, another member cannot be checked in without organising the
    /// event, and a member who blocked you cannot be linked, asked or recorded as met.
    @Test func referencesToOtherMembersObjectsInsideBodiesAreNotFound() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let eve = try await client.register("eve")
            let carol = try await client.register("carol")
            let secret = try await client.send(.post, "/api/v1/contacts", token: ada, json: #"{"name":"Secret Source","notes":"Pelican"}"#)
            let secretID = secret.json["id"] as? String ?? ""
            let own = try await client.send(.post, "/api/v1/contacts", token: eve, json: #"{"name":"Eve's friend"}"#)
            let ownID = own.json["id"] as? String ?? ""
            let merge = try await client.send(.post, "/api/v1/contacts/\(ownID)/merge", token: eve, json: #"{"from":"\#(secretID)"}"#)
            #expect(merge.status == 404 && !merge.text.contains("Pelican"), "\(merge.text)")
            let eveSession = try await client.signIn("eve")
            let csrf = try await client.csrf(session: eveSession)
            let pageMerge = try await client.send(
                .post,
                "/contacts/\(ownID)/merge",
                cookies: ["kith_session": eveSession],
                form: [("_csrf", csrf), ("from", secretID)]
            )
            #expect(pageMerge.status == 404 && !pageMerge.text.contains("Pelican"))
            let kept = try await client.send(.get, "/api/v1/contacts/\(secretID)", token: ada).json["contact"] as? [String: Any]
            #expect(kept?["notes"] as? String == "Pelican")

            // Checking in someone else is the organiser's, not another attendee's.
            let event = try await client.send(.post, "/api/v1/events", token: ada, json: EventsAPITests.event(capacity: 5)).json
            let eventID = event["id"] as? String ?? ""
            for token in [eve, carol] {
                _ = try await client.send(.put, "/api/v1/events/\(eventID)/rsvp", token: token, json: #"{"status":"going"}"#)
            }
            let checkIn = try await client.send(.post, "/api/v1/events/\(eventID)/check-in", token: eve, json: #"{"member":"carol"}"#)
            #expect([403, 404].contains(checkIn.status), "\(checkIn.status)")
            let attendees = try await client.send(.get, "/api/v1/events/\(eventID)/attendees", token: ada).json["items"] as? [[String: Any]]
            #expect(attendees?.allSatisfy { $0["checked_in_at"] == nil || $0["checked_in_at"] is NSNull } == true)

            // A member who blocked you is, to you, a member who does not exist.
            #expect(try await client.send(.post, "/api/v1/members/eve/block", token: carol).status == 204)
            let unknown = try await client.send(.post, "/api/v1/contacts", token: eve, json: #"{"name":"X","member":"nobody-here"}"#)
            let blocked = try await client.send(.post, "/api/v1/contacts", token: eve, json: #"{"name":"X","member":"carol"}"#)
            #expect(blocked.status == unknown.status && blocked.status >= 400, "\(blocked.status) vs \(unknown.status)")
            #expect(
                blocked.text.replacingOccurrences(of: "carol", with: "nobody-here")
                    == unknown.text.replacingOccurrences(of: "nobody-here", with: "nobody-here").replacingOccurrences(
                        of: unknown.json["request_id"] as? String ?? "-",
                        with: blocked.json["request_id"] as? String ?? "-"
                    )
            )
            let request = try await client.send(.post, "/api/v1/connections/requests", token: eve, json: #"{"to":"carol"}"#)
            let requestUnknown = try await client.send(.post, "/api/v1/connections/requests", token: eve, json: #"{"to":"nobody-here"}"#)
            #expect(request.status == requestUnknown.status, "\(request.status) vs \(requestUnknown.status)")
        }
    }

    /// Blocking someone who already blocked you answers exactly as blocking anyone else: the
    /// answer must not tell them they were blocked.
    @Test func blockingSomeoneWhoBlockedYouLooksLikeBlockingAnyone() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let bob = try await client.register("bob")
            _ = try await client.register("carol")
            #expect(try await client.send(.post, "/api/v1/members/bob/block", token: ada).status == 204)
            let back = try await client.send(.post, "/api/v1/members/ada/block", token: bob)
            let fresh = try await client.send(.post, "/api/v1/members/carol/block", token: bob)
            #expect(back.status == fresh.status && back.text == fresh.text, "\(back.status) vs \(fresh.status)")
            let unblockBack = try await client.send(.delete, "/api/v1/members/ada/block", token: bob)
            let unblockFresh = try await client.send(.delete, "/api/v1/members/carol/block", token: bob)
            #expect(unblockBack.status == unblockFresh.status)
            let session = try await client.signIn("bob")
            let csrf = try await client.csrf(session: session)
            let page = try await client.send(.post, "/in/ada/block", cookies: ["kith_session": session], form: [("_csrf", csrf)])
            let pageFresh = try await client.send(.post, "/in/carol/block", cookies: ["kith_session": session], form: [("_csrf", csrf)])
            #expect(page.status == pageFresh.status && page.headers[.location] == pageFresh.headers[.location])
        }
    }

    @Test func openingTheRemindersPageMarksNothingReadOnlyTheFormDoes() async throws {
        try await withApp { client, services in
            let ada = try await client.register("ada")
            let contact =
                try await client.send(.post, "/api/v1/contacts", token: ada, json: #"{"name":"Grace"}"#).json["id"] as? String ?? ""
            _ = try await client.send(
                .post,
                "/api/v1/contacts/\(contact)/follow-ups",
                token: ada,
                json: #"{"due_at":"\#(Moment.format(Date().addingTimeInterval(-60)))","text":"Call Grace"}"#
            )
            _ = try await services.reminders.generate()
            func unread() async throws -> Int {
                let items = try await client.send(.get, "/api/v1/notifications", token: ada).json["items"] as? [[String: Any]] ?? []
                return items.filter { $0["read"] as? Bool == false }.count
            }
            #expect(try await unread() == 1)
            let session = try await client.signIn("ada")
            let page = try await client.send(.get, "/notifications", cookies: ["kith_session": session])
            #expect(page.text.contains("Call Grace") && page.text.contains("Mark all as read"))
            #expect(try await unread() == 1, "a GET marked the reminder read")
            let csrf = try await client.csrf(session: session)
            let marked = try await client.send(.post, "/notifications/read", cookies: ["kith_session": session], form: [("_csrf", csrf)])
            #expect(marked.status == 303)
            #expect(try await unread() == 0)
        }
    }

    /// A CSRF cookie someone else planted (a sibling subdomain, a man in the middle) does not
    /// make a forged sign-in form pass: only values this instance minted count.
    @Test func aPlantedCSRFCookieIsNotAccepted() async throws {
        try await withApp { client, _ in
            _ = try await client.register("ada")
            for planted in [
                "attacker-chosen", "x" + String(repeating: "A", count: 42) + "." + String(repeating: "B", count: 43), #""><script>"#,
            ] {
                let forged = try await client.send(
                    .post,
                    "/signin",
                    cookies: ["kith_csrf": planted],
                    form: [("_csrf", planted), ("email", "ada@example.org"), ("password", "password-ada")]
                )
                #expect(forged.status == 403, "\(planted) → \(forged.status)")
                // The page replaces it with one of its own.
                let page = try await client.send(.get, "/signin", cookies: ["kith_csrf": planted])
                let fresh = page.cookieValue("kith_csrf") ?? ""
                #expect(!fresh.isEmpty && fresh != planted && !page.text.contains(planted))
            }
            let page = try await client.send(.get, "/signin")
            let minted = page.cookieValue("kith_csrf") ?? ""
            #expect(minted.split(separator: ".").count == 2)
            let tampered = String(minted.dropLast()) + (minted.hasSuffix("A") ? "B" : "A")
            let reply = try await client.send(
                .post,
                "/signin",
                cookies: ["kith_csrf": tampered],
                form: [("_csrf", tampered), ("email", "ada@example.org"), ("password", "password-ada")]
            )
            #expect(reply.status == 403)
        }
    }

    /// Nothing a member writes can add a header or put a bare CR into the SMTP conversation.
    @Test func mailHasNoInjectedHeadersAndNoBareLineEnds() throws {
        let mail = OutgoingMail(
            id: .make(at: Date()),
            memberID: Member.ID.make(at: Date()),
            key: "test",
            to: "ada@example.org\r\nBcc: everyone@example.org",
            subject: "Hello\r\nBcc: everyone@example.org",
            body: "one\rtwo\nthree\r\nfour",
            createdAt: Date()
        )
        let text = MailTransports.message(mail, from: "Kith <no-reply@kith.example>")
        let lines = text.components(separatedBy: "\r\n")
        #expect(!lines.contains { $0.hasPrefix("Bcc:") })
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        // The words are the text part, every line ending in CR LF.
        #expect(text.contains("Content-Transfer-Encoding: 8bit\r\n\r\none\r\ntwo\r\nthree\r\nfour\r\n--kith-"))
        #expect(lines.allSatisfy { $0.utf8.count <= 998 })
    }

    @Test func anSMTPPasswordIsNeverSentUnencryptedOffThisMachine() throws {
        #expect(SMTPMailTransport.mayAuthenticate(encrypted: true, host: "mail.example.org"))
        #expect(!SMTPMailTransport.mayAuthenticate(encrypted: false, host: "mail.example.org"))
        #expect(SMTPMailTransport.mayAuthenticate(encrypted: false, host: "127.0.0.1"))
        let submission = try #require(try MailTransports.make("smtp://kith:secret@mail.example.org:587") as? SMTPMailTransport)
        #expect(submission.security == .startTLSWhenOffered && submission.port == 587)
        let implicit = try #require(try MailTransports.make("smtps://kith:secret@mail.example.org") as? SMTPMailTransport)
        #expect(implicit.security == .implicitTLS && implicit.port == 465)
        #expect(throws: DomainError.self) { try MailTransports.make("ftp://mail.example.org") }
    }
}

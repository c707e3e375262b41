import Foundation
import Hummingbird
import HummingbirdTesting
import KithApp
import KithDomain
import KithStorage
import KithTestSupport
import KithWeb
import Testing

/// What a member can do to keep their account safe: change the password (which signs out every
/// other session and token), see where they are signed in and end any of it; sessions end after
/// disuse and tokens may expire.
@Suite struct AccountSafetyTests {
    @Test func changingThePasswordSignsOutEverythingElse() async throws {
        try await withApp { client, _ in
            let first = try await client.register("ada")
            let second =
                try await client.send(.post, "/api/v1/auth/token", json: #"{"email":"ada@example.org","password":"password-ada"}"#)
                .json["token"] as? String ?? ""
            let session = try await client.signIn("ada")
            let wrong = try await client.send(
                .post,
                "/api/v1/me/password",
                token: first,
                json: #"{"current_password":"nope-nope","new_password":"a brand new password"}"#
            )
            #expect(wrong.status == 422)
            #expect((wrong.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "current_password")
            let short = try await client.send(
                .post,
                "/api/v1/me/password",
                token: first,
                json: #"{"current_password":"password-ada","new_password":"short"}"#
            )
            #expect((short.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "new_password")
            let changed = try await client.send(
                .post,
                "/api/v1/me/password",
                token: first,
                json: #"{"current_password":"password-ada","new_password":"a brand new password"}"#
            )
            #expect(changed.status == 204)
            #expect(try await client.send(.get, "/api/v1/me", token: first).status == 200, "the token the change came with keeps working")
            #expect(try await client.send(.get, "/api/v1/me", token: second).status == 401, "another token still works")
            let page = try await client.send(.get, "/me/edit", cookies: ["kith_session": session])
            #expect(page.status == 302, "another browser is still signed in")
            let old = try await client.send(.post, "/api/v1/auth/token", json: #"{"email":"ada@example.org","password":"password-ada"}"#)
            #expect(old.status == 401)
            let new = try await client.send(
                .post,
                "/api/v1/auth/token",
                json: #"{"email":"ada@example.org","password":"a brand new password"}"#
            )
            #expect(new.status == 200)
        }
    }

    @Test func membersSeeAndEndTheirOwnSessionsAndTokensOnly() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let eve = try await client.register("eve")
            let session = try await client.signIn("ada")
            let listed = try await client.send(.get, "/api/v1/me/sessions", token: ada).json["items"] as? [[String: Any]] ?? []
            #expect(listed.count == 2)
            #expect(listed.filter { $0["current"] as? Bool == true }.count == 1)
            #expect(!listed.description.contains(ada) && !listed.description.contains(session), "a secret is listed")
            let browser = try #require(listed.first { $0["kind"] as? String == "session" })
            let id = browser["id"] as? String ?? ""
            #expect(try await client.send(.delete, "/api/v1/me/sessions/\(id)", token: eve).status == 404)
            #expect(try await client.send(.get, "/me/edit", cookies: ["kith_session": session]).status == 200)
            #expect(try await client.send(.delete, "/api/v1/me/sessions/\(id)", token: ada).status == 204)
            #expect(try await client.send(.get, "/me/edit", cookies: ["kith_session": session]).status == 302)
            // The page lists them too, and ends one with a form.
            let again = try await client.signIn("ada")
            let page = try await client.send(.get, "/me/security", cookies: ["kith_session": again])
            #expect(page.text.contains("this browser") && page.text.contains("API token"))
            let token = try #require(
                (try await client.send(.get, "/api/v1/me/sessions", token: ada).json["items"] as? [[String: Any]])?.first {
                    $0["kind"] as? String == "token"
                }
            )
            let csrf = try await client.csrf(session: again)
            let revoked = try await client.send(
                .post,
                "/me/sessions/\(token["id"] as? String ?? "")/revoke",
                cookies: ["kith_session": again],
                form: [("_csrf", csrf)]
            )
            #expect(revoked.status == 303)
            #expect(try await client.send(.get, "/api/v1/me", token: ada).status == 401)
        }
    }

    @Test func sessionsEndAfterDisuseAndTokensWhenTheyExpire() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let services = testServices(store, clock: clock)
            let ada = try await services.register("ada").member
            let (cookie, _) = try await services.accounts.startSession(for: ada, client: "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0")
            let lasting = try await services.accounts.issueToken(for: ada, name: "script")
            let brief = try await services.accounts.issueToken(for: ada, name: "brief", expiresInDays: 1)
            #expect(try await services.accounts.credentials(of: ada, current: nil).map(\.name).contains("Firefox on Linux"))
            clock.advance(by: 2 * 86_400)
            // Used within the idle time, the session goes on; the day-long token has ended.
            #expect(try await services.accounts.session(token: cookie.value) != nil)
            #expect(try await services.accounts.member(bearer: brief.value) == nil)
            #expect(try await services.accounts.member(bearer: lasting.value)?.id == ada.id)
            clock.advance(by: 3 * 86_400 + 60)
            #expect(try await services.accounts.session(token: cookie.value) == nil, "a session unused for 3 days still works")
            #expect(try await services.accounts.member(bearer: lasting.value)?.id == ada.id)
            await #expect(throws: DomainError.self) { try await services.accounts.issueToken(for: ada, expiresInDays: 0) }
        }
    }

    /// The reset link goes by email only to the account's own address, says nothing about
    /// whether an address has an account, works once, and ends every session and token.
    @Test func aPasswordResetByEmailWorksOnceAndSignsOutEverything() async throws {
        try await withMigratedStore { store async throws in
            let mail = RecordingMailTransport()
            let clock = TestClock()
            let services = Services(
                store: store,
                hasher: BcryptPasswordHasher(cost: 4),
                mail: mail,
                publicURL: "https://kith.example",
                now: { clock.now }
            )
            let ada = try await services.register("ada")
            let (cookie, _) = try await services.accounts.startSession(for: ada.member)
            let token = try await services.accounts.issueToken(for: ada.member)
            try await services.accounts.requestPasswordReset(email: "ada@example.org", clientAddress: "x")
            try await services.accounts.requestPasswordReset(email: "nobody@example.org", clientAddress: "x")
            _ = try await services.reminders.deliverMail()
            #expect(mail.sent.map(\.to) == ["ada@example.org"], "mail went to an address without an account, or to none")
            let body = try #require(mail.sent.first?.body)
            let link = try #require(body.firstMatch(of: /https:\/\/kith\.example\/password-reset\/confirm\?token=(reset_[A-Za-z0-9_-]+)/))
            let secret = String(link.output.1)
            // Not in any in-app notification (a session thief must not find it there).
            #expect(
                !(try await services.notifications.notifications(of: ada.member)).contains {
                    $0.body.contains(secret) || $0.link.contains(secret)
                }
            )
            await #expect(throws: DomainError.self) { try await services.accounts.completePasswordReset(token: secret, password: "short") }
            try await services.accounts.completePasswordReset(token: secret, password: "a long new password")
            #expect(try await services.accounts.session(token: cookie.value) == nil)
            #expect(try await services.accounts.member(bearer: token.value) == nil)
            #expect(
                try await services.accounts.signIn(email: "ada@example.org", password: "a long new password", clientAddress: "y").id
                    == ada.member.id
            )
            await #expect(
                throws: DomainError.invalid(
                    field: "token",
                    reason: "is not a valid reset link, or it was used or has expired: ask for a new one"
                )
            ) {
                try await services.accounts.completePasswordReset(token: secret, password: "another long password")
            }
            // A link is good for 30 minutes.
            try await services.accounts.requestPasswordReset(email: "ada@example.org", clientAddress: "x")
            _ = try await services.reminders.deliverMail()
            let second = try #require(mail.sent.last?.body.firstMatch(of: /token=(reset_[A-Za-z0-9_-]+)/)).output.1
            clock.advance(by: 31 * 60)
            await #expect(throws: DomainError.self) {
                try await services.accounts.completePasswordReset(token: String(second), password: "too late password")
            }
        }
    }

    @Test func theResetFormsAnswerAlikeForEveryAddress() async throws {
        try await withApp { client, _ in
            _ = try await client.register("ada")
            let known = try await client.send(.post, "/api/v1/auth/password-reset", json: #"{"email":"ada@example.org"}"#)
            let unknown = try await client.send(.post, "/api/v1/auth/password-reset", json: #"{"email":"who@example.org"}"#)
            #expect(known.status == 202 && unknown.status == 202 && known.text == unknown.text)
            let form = try await client.send(.get, "/password-reset")
            let csrf = form.cookieValue("kith_csrf") ?? ""
            var pages: [String] = []
            for email in ["ada@example.org", "who@example.org"] {
                let page = try await client.send(
                    .post,
                    "/password-reset",
                    cookies: ["kith_csrf": csrf],
                    form: [("_csrf", csrf), ("email", email)]
                )
                #expect(page.status == 200)
                pages.append(page.text.replacingOccurrences(of: email, with: "ADDRESS"))
            }
            #expect(pages[0] == pages[1])
            #expect(pages[0].contains("Check your email"))
            let bad = try await client.send(
                .post,
                "/api/v1/auth/password-reset/confirm",
                json: #"{"token":"reset_guess","password":"a long enough password"}"#
            )
            #expect(bad.status == 422)
        }
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import KithApp
import KithDomain
import KithTestSupport
import KithWeb
import Logging
import Testing

@Suite struct PageTests {
    @Test func signUpSetsAHardenedSessionCookieAndShowsErrorsBesideFields() async throws {
        try await withApp { client, _ in
            let form = try await client.send(.get, "/signup")
            #expect(form.status == 200)
            let csrf = form.cookieValue("kith_csrf") ?? ""
            #expect(form.text.contains(#"<label for="email">"#))

            let bad = try await client.send(
                .post,
                "/signup",
                cookies: ["kith_csrf": csrf],
                form: [("_csrf", csrf), ("name", "Ada"), ("handle", "a!"), ("email", "nope"), ("password", "x")]
            )
            #expect(bad.status == 422)
            #expect(bad.text.contains(#"id="handle-error""#))
            #expect(bad.text.contains(#"id="email-error""#))
            #expect(bad.text.contains(#"aria-invalid="true""#))

            let good = try await client.send(
                .post,
                "/signup",
                cookies: ["kith_csrf": csrf],
                form: [("_csrf", csrf), ("name", "Ada"), ("handle", "ada"), ("email", "ada@example.org"), ("password", "password-ada")]
            )
            #expect(good.status == 303)
            let cookie = good.setCookie("kith_session") ?? ""
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"))
        }
    }

    @Test func cookiesAreSecureAndHostPrefixedBehindTLS() async throws {
        try await withMigratedStore { store async throws in
            let configuration = AppConfiguration(registration: .open, bcryptCost: 4, secureCookies: true, logLevel: .critical)
            let app = try await buildApplication(configuration: configuration, store: store)
            try await app.test(.router) { raw in
                let client = Client(client: raw)
                _ = try await client.register("ada")
                let page = try await client.send(.get, "/signin")
                let cookie = page.setCookie("__Host-kith_csrf") ?? ""
                #expect(cookie.contains("Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"))
                #expect(page.headers[.strictTransportSecurity]?.hasPrefix("max-age=") == true)
                let csrf = page.cookieValue("__Host-kith_csrf") ?? ""
                let signedIn = try await client.send(
                    .post,
                    "/signin",
                    cookies: ["__Host-kith_csrf": csrf],
                    form: [("_csrf", csrf), ("email", "ada@example.org"), ("password", "password-ada")]
                )
                #expect(signedIn.status == 303)
                let session = signedIn.cookieValue("__Host-kith_session") ?? ""
                #expect(!session.isEmpty)
                #expect(try await client.send(.get, "/me/edit", cookies: ["__Host-kith_session": session]).status == 200)
                // The unprefixed name is not read when the site is served over TLS.
                #expect(try await client.send(.get, "/me/edit", cookies: ["kith_session": session]).status == 302)
            }
        }
    }

    @Test func aForwardedProtoFromAnUntrustedPeerIsIgnored() async throws {
        try await withApp { client, _ in
            let page = try await client.send(.get, "/signin", headers: [.init("X-Forwarded-Proto")!: "https"])
            #expect(page.setCookie("kith_csrf")?.contains("Secure") == false)
            #expect(page.headers[.strictTransportSecurity] == nil)
        }
    }

    @Test func formsWithoutTheCSRFTokenAreRejected() async throws {
        try await withApp { client, _ in
            _ = try await client.register("ada")
            let session = try await client.signIn("ada")
            let forged = try await client.send(
                .post,
                "/me/edit",
                cookies: ["kith_session": session],
                form: [("name", "Mallory"), ("headline", "pwned")]
            )
            #expect(forged.status == 403)
            let wrong = try await client.send(
                .post,
                "/me/edit",
                cookies: ["kith_session": session],
                form: [("_csrf", "guess"), ("name", "Mallory")]
            )
            #expect(wrong.status == 403)
            let anonymous = try await client.send(.post, "/signin", form: [("email", "ada@example.org"), ("password", "password-ada")])
            #expect(anonymous.status == 403)
            let profile = try await client.send(.get, "/in/ada", cookies: ["kith_session": session])
            #expect(!profile.text.contains("pwned"))
        }
    }

    @Test func signInRotatesTheSessionAndSignOutEndsIt() async throws {
        try await withApp { client, _ in
            _ = try await client.register("ada")
            let first = try await client.signIn("ada")
            let second = try await client.signIn("ada")
            #expect(!first.isEmpty && first != second)

            let csrf = try await client.csrf(session: second)
            let out = try await client.send(.post, "/signout", cookies: ["kith_session": second], form: [("_csrf", csrf)])
            #expect(out.status == 303)
            #expect(out.setCookie("kith_session")?.contains("Max-Age=0") == true)
            let after = try await client.send(.get, "/me/edit", cookies: ["kith_session": second])
            #expect(after.status == 302)
            #expect(after.headers[.location]?.hasPrefix("/signin") == true)
        }
    }

    @Test func editingTheProfileThroughTheFormWorksAndEscapesHTML() async throws {
        try await withApp { client, _ in
            _ = try await client.register("ada")
            let session = try await client.signIn("ada")
            let csrf = try await client.csrf(session: session)
            let xss = "<script>alert(1)</script>"
            let saved = try await client.send(
                .post,
                "/me/edit",
                cookies: ["kith_session": session],
                form: [
                    ("_csrf", csrf), ("name", "Ada \(xss)"), ("headline", xss), ("bio", xss), ("career_stage", "student"),
                    ("skills", "Swift, \(xss)"), ("open_to", "mentoring"), ("open_to", "hiring"),
                    ("visibility.bio", "only_me"),
                ]
            )
            #expect(saved.status == 303)
            let page = try await client.send(.get, "/in/ada", cookies: ["kith_session": session])
            #expect(!page.text.contains(xss))
            #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(page.text.contains("Open to: Hiring"))
            #expect(page.text.contains("Visible to: Only me"))

            let invalid = try await client.send(
                .post,
                "/me/edit",
                cookies: ["kith_session": session],
                form: [("_csrf", csrf), ("name", ""), ("website", "ftp://x")]
            )
            #expect(invalid.status == 422)
            #expect(invalid.text.contains(#"id="name-error""#))
            #expect(invalid.text.contains(#"id="website-error""#))
        }
    }

    @Test func everyResponseCarriesSecurityHeaders() async throws {
        try await withApp { client, _ in
            for path in ["/", "/signin", "/nope", "/api/v1/me", "/health"] {
                let reply = try await client.send(.get, path)
                #expect(reply.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true, "\(path)")
                #expect(reply.headers[.init("X-Content-Type-Options")!] == "nosniff")
                #expect(reply.headers[.init("Referrer-Policy")!] == "same-origin")
            }
        }
    }

    @Test func homeGreetsByCareerStageAndPagesHaveOneHeading() async throws {
        try await withApp { client, _ in
            let token = try await client.register("ada")
            _ = try await client.send(.patch, "/api/v1/me/profile", token: token, json: #"{"career_stage":"in_transition"}"#)
            let session = try await client.signIn("ada")
            let home = try await client.send(.get, "/", cookies: ["kith_session": session])
            #expect(home.text.contains("Between roles?"))
            #expect(home.text.contains("open_to=giving_referrals"))
            for path in ["/", "/directory", "/in/ada", "/me/edit"] {
                let html = try await client.send(.get, path, cookies: ["kith_session": session]).text
                #expect(html.components(separatedBy: "<h1").count == 2, "\(path) has one h1")
                #expect(html.contains("<title>"))
            }
            let anonymous = try await client.send(.get, "/")
            #expect(anonymous.text.contains("Join"))
            #expect(try await client.send(.get, "/directory").status == 302)
        }
    }

    @Test func emptySelectOptionsSubmitAnEmptyValue() async throws {
        try await withApp { client, _ in
            _ = try await client.register("ada")
            let session = try await client.signIn("ada")
            let edit = try await client.send(.get, "/me/edit", cookies: ["kith_session": session]).text
            let directory = try await client.send(.get, "/directory", cookies: ["kith_session": session]).text
            #expect(edit.contains(#"<option value selected>Not set</option>"#))
            #expect(directory.contains(#"<option value selected>Any</option>"#))
            let searched = try await client.send(.get, "/directory?q=ada&career_stage=&open_to=", cookies: ["kith_session": session])
            #expect(searched.status == 200)
        }
    }

    @Test func onlyAdminsCanInvite() async throws {
        try await withApp { client, _ in
            _ = try await client.register("ada")
            let session = try await client.signIn("ada")
            #expect(try await client.send(.get, "/admin/invitations", cookies: ["kith_session": session]).status == 403)
        }
    }
}

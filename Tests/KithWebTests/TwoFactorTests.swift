import Foundation
import Hummingbird
import HummingbirdTesting
import KithApp
import KithDomain
import KithStorage
import KithTestSupport
import KithWeb
import Logging
import Testing

@Suite struct TOTPTests {
    /// RFC 6238 Appendix B (SHA-1, 8 digits) and RFC 4648 §10.
    @Test(arguments: [
        (59, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"), (1_234_567_890, "89005924"),
        (2_000_000_000, "69279037"),
    ])
    func rfc6238Vectors(_ time: Int, _ code: String) {
        let totp = TOTP(secret: Array("12345678901234567890".utf8))
        #expect(totp.code(counter: TOTP.counter(at: Date(timeIntervalSince1970: TimeInterval(time))), digits: 8) == code)
        #expect(totp.code(counter: TOTP.counter(at: Date(timeIntervalSince1970: TimeInterval(time)))) == String(code.suffix(6)))
    }

    @Test func base32RoundTripsAndAcceptsOneStepOfDrift() throws {
        let totp = TOTP(secret: Array("foobar".utf8))
        #expect(totp.base32 == "MZXW6YTBOI")
        #expect(TOTP(base32: "mzxw6ytboi")?.secret == Array("foobar".utf8))
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let step = TOTP.counter(at: now)
        #expect(totp.verify(totp.code(counter: step - 1), at: now, after: nil) == step - 1)
        #expect(totp.verify(totp.code(counter: step + 1), at: now, after: nil) == step + 1)
        #expect(totp.verify(totp.code(counter: step - 2), at: now, after: nil) == nil)
        #expect(totp.verify(totp.code(counter: step), at: now, after: step) == nil, "a used step works again")
        #expect(totp.verify("12345", at: now, after: nil) == nil)
    }
}

@Suite struct TwoFactorSignInTests {
    static func code(_ secret: String) throws -> String {
        let totp = try #require(TOTP(base32: secret))
        return totp.code(counter: TOTP.counter(at: Date()))
    }

    @Test func theAPIAndTheWebBothAskForTheSecondFactor() async throws {
        try await withApp { client, _ in
            let ada = try await client.register("ada")
            let setup = try await client.send(.post, "/api/v1/me/2fa/totp", token: ada)
            let secret = setup.json["secret"] as? String ?? ""
            #expect((setup.json["otpauth_uri"] as? String)?.hasPrefix("otpauth://totp/Kith:ada@example.org?secret=\(secret)") == true)
            // Until confirmed, nothing changes.
            #expect(
                try await client.send(.post, "/api/v1/auth/token", json: #"{"email":"ada@example.org","password":"password-ada"}"#).status
                    == 200
            )
            let wrong = try await client.send(.post, "/api/v1/me/2fa/totp/confirm", token: ada, json: #"{"code":"000000"}"#)
            let current = try Self.code(secret)
            #expect(wrong.status == 422 || current == "000000")
            let confirmCode = try Self.code(secret)
            let confirmed = try await client.send(.post, "/api/v1/me/2fa/totp/confirm", token: ada, json: #"{"code":"\#(confirmCode)"}"#)
            let codes = confirmed.json["recovery_codes"] as? [String] ?? []
            #expect(codes.count == 10, "\(confirmed.text)")

            let withoutCode = try await client.send(
                .post,
                "/api/v1/auth/token",
                json: #"{"email":"ada@example.org","password":"password-ada"}"#
            )
            #expect(withoutCode.status == 401 && withoutCode.json["totp_required"] as? Bool == true)
            let badCode = try await client.send(
                .post,
                "/api/v1/auth/token",
                json: #"{"email":"ada@example.org","password":"password-ada","totp":"12345x"}"#
            )
            #expect(badCode.status == 422 || badCode.status == 401)
            // The code that confirmed the app was used: it does not work a second time.
            let replay = try await client.send(
                .post,
                "/api/v1/auth/token",
                json: #"{"email":"ada@example.org","password":"password-ada","totp":"\#(confirmCode)"}"#
            )
            #expect(replay.status != 200, "a used code worked again")
            let recovery = try await client.send(
                .post,
                "/api/v1/auth/token",
                json: #"{"email":"ada@example.org","password":"password-ada","totp":"\#(codes[0])"}"#
            )
            #expect(recovery.status == 200)
            let again = try await client.send(
                .post,
                "/api/v1/auth/token",
                json: #"{"email":"ada@example.org","password":"password-ada","totp":"\#(codes[0])"}"#
            )
            #expect(again.status != 200, "a recovery code worked twice")

            // The web asks for a code after the password, and signs in only with it.
            let form = try await client.send(.get, "/signin")
            let csrf = form.cookieValue("kith_csrf") ?? ""
            let first = try await client.send(
                .post,
                "/signin",
                cookies: ["kith_csrf": csrf],
                form: [("_csrf", csrf), ("email", "ada@example.org"), ("password", "password-ada"), ("next", "/contacts")]
            )
            #expect(first.status == 200 && first.setCookie("kith_session") == nil)
            let ticket = try #require(first.text.firstMatch(of: /name="ticket" value="(mfa_[A-Za-z0-9_-]+)"/)).output.1
            let wrongStep = try await client.send(
                .post,
                "/signin/two-factor",
                cookies: ["kith_csrf": csrf],
                form: [("_csrf", csrf), ("ticket", String(ticket)), ("code", "not-a-code"), ("next", "/contacts")]
            )
            #expect(wrongStep.status == 422 && wrongStep.setCookie("kith_session") == nil)
            let second = try await client.send(
                .post,
                "/signin/two-factor",
                cookies: ["kith_csrf": csrf],
                form: [("_csrf", csrf), ("ticket", String(ticket)), ("code", codes[1]), ("next", "/contacts")]
            )
            #expect(second.status == 303 && second.headers[.location] == "/contacts")
            let session = second.cookieValue("kith_session") ?? ""
            #expect(
                try await client.send(.get, "/me/security", cookies: ["kith_session": session]).text.contains("8 unused recovery codes")
            )
            // A ticket works once.
            let reused = try await client.send(
                .post,
                "/signin/two-factor",
                cookies: ["kith_csrf": csrf],
                form: [("_csrf", csrf), ("ticket", String(ticket)), ("code", codes[2]), ("next", "/")]
            )
            #expect(reused.setCookie("kith_session") == nil)
            // Turning it off takes the password.
            let token = recovery.json["token"] as? String ?? ""
            #expect(try await client.send(.delete, "/api/v1/me/2fa/totp", token: token, json: #"{"password":"wrong-one"}"#).status == 422)
            #expect(
                try await client.send(.delete, "/api/v1/me/2fa/totp", token: token, json: #"{"password":"password-ada"}"#).status == 204
            )
            #expect(
                try await client.send(.post, "/api/v1/auth/token", json: #"{"email":"ada@example.org","password":"password-ada"}"#).status
                    == 200
            )
        }
    }

    @Test func staffActAsMembersUntilTheyTurnItOnWhenRequired() async throws {
        try await withMigratedStore { store async throws in
            var configuration = AppConfiguration(registration: .open, bcryptCost: 4, logLevel: .critical)
            configuration.requireTwoFactorForStaff = true
            let services = testServices(store)
            let app = try await buildApplication(configuration: configuration, store: store)
            try await app.test(.router) { raw in
                let client = Client(client: raw)
                let olga = try await client.register("olga")
                _ = try await services.accounts.setRole("admin", ofHandle: "olga")
                let session = try await client.signIn("olga")
                #expect(try await client.send(.get, "/admin/invitations", cookies: ["kith_session": session]).status == 403)
                let secret = try await client.send(.post, "/api/v1/me/2fa/totp", token: olga).json["secret"] as? String ?? ""
                _ = try await client.send(.post, "/api/v1/me/2fa/totp/confirm", token: olga, json: #"{"code":"\#(try Self.code(secret))"}"#)
                #expect(try await client.send(.get, "/admin/invitations", cookies: ["kith_session": session]).status == 200)
            }
        }
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import KithApp
import KithDomain
import KithStorage
import KithTestSupport
import KithWeb
import Logging
import NIOCore
import Testing

/// Runs `body` with the production app (same router, middleware and wiring) on a fresh store.
func withApp(
    registration: RegistrationMode = .open,
    _ body: @escaping @Sendable (Client, Services) async throws -> Void
) async throws {
    try await withMigratedStore { store async throws in
        let configuration = AppConfiguration(registration: registration, bcryptCost: 4, logLevel: .critical)
        let app = try await buildApplication(configuration: configuration, store: store)
        try await app.test(.router) { client in
            try await body(Client(client: client), testServices(store, clock: TestClock(Date()), registration: registration))
        }
    }
}

/// A small HTTP client over the test framework, with JSON and cookie helpers.
struct Client: Sendable {
    let client: any TestClientProtocol

    struct Reply: Sendable {
        let status: Int
        let headers: HTTPFields
        let text: String

        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        }

        /// The value of a Set-Cookie header for `name`, with its attributes.
        func setCookie(_ name: String) -> String? {
            headers[values: .setCookie].first { $0.hasPrefix(name + "=") }
        }

        func cookieValue(_ name: String) -> String? {
            setCookie(name).map { String($0.dropFirst(name.count + 1).prefix { $0 != ";" }) }
        }
    }

    func send(
        _ method: HTTPRequest.Method,
        _ uri: String,
        token: String? = nil,
        cookies: [String: String] = [:],
        json: String? = nil,
        form: [(String, String)]? = nil,
        headers extra: HTTPFields = [:],
        body raw: String? = nil
    ) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        var body: ByteBuffer? = raw.map { ByteBuffer(string: $0) }
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: json)
        }
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            body = ByteBuffer(
                string: form.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
            )
        }
        let response = try await client.executeRequest(uri: uri, method: method, headers: headers, body: body)
        return Reply(status: Int(response.status.code), headers: response.headers, text: String(buffer: response.body))
    }

    /// Registers through the API; returns the bearer token.
    func register(_ handle: String, name: String? = nil) async throws -> String {
        let reply = try await send(
            .post,
            "/api/v1/auth/register",
            json:
                #"{"email":"\#(handle)@example.org","password":"password-\#(handle)","name":"\#(name ?? handle.capitalized)","handle":"\#(handle)"}"#
        )
        #expect(reply.status == 201, "registration of \(handle): \(reply.text)")
        return reply.json["token"] as? String ?? ""
    }

    /// Signs in through the web form; returns the session cookie value.
    func signIn(_ handle: String) async throws -> String {
        let page = try await send(.get, "/signin")
        let csrf = page.cookieValue("kith_csrf") ?? ""
        let reply = try await send(
            .post,
            "/signin",
            cookies: ["kith_csrf": csrf],
            form: [("_csrf", csrf), ("email", "\(handle)@example.org"), ("password", "password-\(handle)"), ("next", "/")]
        )
        #expect(reply.status == 303, "sign-in of \(handle)")
        return reply.cookieValue("kith_session") ?? ""
    }

    /// The CSRF token a signed-in page carries in its forms.
    func csrf(session: String, page: String = "/me/edit") async throws -> String {
        let html = try await send(.get, page, cookies: ["kith_session": session]).text
        guard let range = html.range(of: #"name="_csrf" value=""#) else { return "" }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }
}

public import Foundation
public import Hummingbird
import KithDomain
import NIOCore

/// Everything a handler knows about the request besides the request itself: who is calling
/// (resolved once by `AuthenticationMiddleware`) and where from.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The address of the peer that opened the connection (a reverse proxy, when there is one).
    public let peerAddress: String
    /// The client's IP address: the peer's, or the one a trusted proxy reports in
    /// `X-Forwarded-For` (set by `ClientOriginMiddleware`).
    public internal(set) var remoteAddress: String
    /// Whether the browser reached Kith over TLS: configured, or said by a trusted proxy.
    var servedOverTLS = false
    /// The signed-in member, if any.
    var member: Member?
    /// The browser session and its raw cookie value, when signed in with a cookie.
    var session: Session?
    var sessionToken: String?
    /// The bearer token the request came with, when it came through the API.
    var bearerToken: String?
    /// Conversations with something unread and message requests waiting, for the navigation (pages).
    var unreadConversations = 0
    /// The anonymous forms' CSRF cookie (double-submit), when present.
    var csrfCookie: String?
    /// Mints and checks anonymous CSRF cookie values (set with the page's credential).
    var csrfCookies: CSRFCookie?
    /// The connection the request came on, to stop the work when it closes.
    let connection: ConnectionWatch?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.peerAddress = source.channel.remoteAddress?.ipAddress ?? "local"
        self.remoteAddress = peerAddress
        self.connection = ConnectionWatch.of(source.channel)
    }

    /// Bodies are small in Kith; a tight limit keeps a client from tying up memory.
    public var maxUploadSize: Int { 256 * 1024 }

    public var requestDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    public var responseEncoder: APIJSONEncoder { APIJSONEncoder() }

    /// The signed-in member, or `unauthorized`.
    func requireMember() throws -> Member {
        guard let member else { throw DomainError.unauthorized("Sign in to continue.") }
        return member
    }
}

public import Foundation
public import Hummingbird
import KithDomain
import NIOCore
import Synchronization

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

    public var responseEncoder: JSONEncoder {
        JSONCoding.encoder
    }

    /// The signed-in member, or `unauthorized`.
    func requireMember() throws -> Member {
        guard let member else { throw DomainError.unauthorized("Sign in to continue.") }
        return member
    }
}

enum JSONCoding {
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .custom(SnakeCaseKeys.key)
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

/// Foundation's `.convertToSnakeCase`, but each key converted once per process: Foundation converts
/// every key of every value of every response again (~6% of an inbox request's CPU). The
/// conversion itself is Foundation's (asked once per key), so the JSON is byte for byte the same.
enum SnakeCaseKeys {
    private static let known = Mutex<[String: String]>([:])

    struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    @Sendable static func key(_ path: [any CodingKey]) -> any CodingKey {
        guard let last = path.last else { return Key("") }
        if last.intValue != nil { return last }
        let name = last.stringValue
        if let converted = known.withLock({ $0[name] }) { return Key(converted) }
        let converted = convert(name)
        known.withLock { known in
            // Keys come from the code's types (and a few dictionaries): bounded, but never unbounded.
            if known.count > 10_000 { known = [:] }
            known[name] = converted
        }
        return Key(converted)
    }

    /// What `.convertToSnakeCase` makes of `name`.
    static func convert(_ name: String) -> String {
        struct Probe: Encodable {
            let name: String
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Key.self)
                try container.encode(0, forKey: Key(name))
            }
        }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? encoder.encode(Probe(name: name)),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Int], let key = object.keys.first
        else { return name }
        return key
    }
}

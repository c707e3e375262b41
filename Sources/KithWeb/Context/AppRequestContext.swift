public import Foundation
public import Hummingbird
import KithDomain
import NIOCore

/// Everything a handler knows about the request besides the request itself: who is calling
/// (resolved once by `AuthenticationMiddleware`) and where from.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address, for rate limiting.
    public let remoteAddress: String
    /// The signed-in member, if any.
    var member: Member?
    /// The browser session and its raw cookie value, when signed in with a cookie.
    var session: Session?
    var sessionToken: String?
    /// The anonymous forms' CSRF cookie (double-submit), when present.
    var csrfCookie: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress?.ipAddress ?? "local"
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
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

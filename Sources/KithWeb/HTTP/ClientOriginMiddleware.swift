import Foundation
import Hummingbird

/// Who is on the other end: the client's address (what rate limits count) and whether the
/// browser reached Kith over TLS. `X-Forwarded-For` and `X-Forwarded-Proto` are believed only
/// from peers in `--trusted-proxy` ranges; from anyone else they are ignored, so a client cannot
/// pick the address its failed sign-ins are counted against.
struct ClientOriginMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trustedProxies: [NetworkRange]
    let configuredTLS: Bool

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        var context = context
        let origin = ClientOrigin.resolve(
            peer: context.peerAddress,
            forwardedFor: trustedProxies.isEmpty ? [] : request.headers[values: .init("X-Forwarded-For")!],
            forwardedProto: trustedProxies.isEmpty ? nil : request.headers[.init("X-Forwarded-Proto")!],
            trustedProxies: trustedProxies,
            configuredTLS: configuredTLS
        )
        context.remoteAddress = origin.rateLimitKey
        context.servedOverTLS = origin.overTLS
        var response = try await next(request, context)
        if origin.overTLS {
            response.headers[.strictTransportSecurity] = "max-age=63072000; includeSubDomains"
        }
        return response
    }
}

struct ClientOrigin: Equatable {
    /// The client's address as rate limits count it (an IPv6 client by its /64).
    var rateLimitKey: String
    var overTLS: Bool

    static func resolve(
        peer: String,
        forwardedFor: [String],
        forwardedProto: String?,
        trustedProxies: [NetworkRange],
        configuredTLS: Bool
    ) -> ClientOrigin {
        // The common case costs no parsing: no proxy to trust, and an IPv4 peer is its own key.
        if trustedProxies.isEmpty && !peer.contains(":") { return ClientOrigin(rateLimitKey: peer, overTLS: configuredTLS) }
        func trusted(_ address: NetworkAddress) -> Bool { trustedProxies.contains { $0.contains(address) } }
        guard let peerAddress = NetworkAddress(peer) else { return ClientOrigin(rateLimitKey: peer, overTLS: configuredTLS) }
        guard trusted(peerAddress) else { return ClientOrigin(rateLimitKey: peerAddress.rateLimitKey, overTLS: configuredTLS) }
        // Walk the chain from the nearest hop outwards; the first address no trusted proxy owns is
        // the client (anything further left was written by the client itself and proves nothing).
        let chain = forwardedFor.flatMap { $0.split(separator: ",") }.map { String($0).trimmingCharacters(in: .whitespaces) }
        var client = peerAddress
        for hop in chain.reversed() {
            guard let address = NetworkAddress(hop) else { break }
            client = address
            if !trusted(address) { break }
        }
        let proto = forwardedProto?.split(separator: ",").last?.trimmingCharacters(in: .whitespaces).lowercased()
        return ClientOrigin(rateLimitKey: client.rateLimitKey, overTLS: configuredTLS || proto == "https")
    }
}

import Hummingbird

/// Headers every response carries: a strict content security policy (no inline script or
/// style, no framing), no MIME sniffing, a tight referrer policy, and `Cache-Control: no-store`
/// unless the handler chose otherwise (only the public stylesheet and icons do), so that no page
/// or API answer — private notes included — stays in a browser's or a proxy's cache after sign-out.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        var response = try await next(request, context)
        Self.apply(to: &response.headers)
        if response.headers[.cacheControl] == nil {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }

    static func apply(to headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.init("X-Content-Type-Options")!] = "nosniff"
        headers[.init("X-Frame-Options")!] = "DENY"
        headers[.init("Referrer-Policy")!] = "same-origin"
        headers[.init("Permissions-Policy")!] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        headers[.init("Cross-Origin-Opener-Policy")!] = "same-origin"
    }
}

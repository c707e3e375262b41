import Hummingbird
import KithDomain

/// One spelling per address. The router ignores empty segments, so `//api/v1/contacts` would
/// reach the same handler as `/api/v1/contacts`; anything that reasons about the raw path (logs,
/// proxies, a browser's same-origin rules for cookies with a path) could be told one thing while
/// the router does another. A path with an empty segment, a `.` or `..` segment, or a trailing
/// slash is refused: a GET or HEAD is redirected (308) to the one spelling, anything else is 404.
struct CanonicalPathMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        let path = request.uri.path
        guard let canonical = Self.canonical(path) else { return try await next(request, context) }
        guard request.method == .get || request.method == .head else { throw HTTPError(.notFound) }
        let query = request.uri.query.map { "?" + $0 } ?? ""
        return Response(status: .permanentRedirect, headers: [.location: canonical + query])
    }

    /// The canonical spelling of `path`, or nil when `path` already is canonical.
    static func canonical(_ path: String) -> String? {
        if path == "/" { return nil }
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        // DAV names its collections with a trailing slash (RFC 4918 §5.2): allowed there only.
        let davCollection = path.hasPrefix("/dav/") && path.hasSuffix("/")
        if davCollection { segments = segments.dropLast() }
        let clean = path.hasPrefix("/") && !segments.contains { $0.isEmpty || $0 == "." || $0 == ".." || $0 == "%2e" || $0 == "%2E" }
        if clean { return nil }
        var kept: [Substring] = []
        for segment in segments {
            switch segment {
            case "", ".", "%2e", "%2E": continue
            case "..": _ = kept.popLast()
            default: kept.append(segment)
            }
        }
        return "/" + kept.joined(separator: "/") + (davCollection ? "/" : "")
    }
}

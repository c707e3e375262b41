import Hummingbird
import KithDomain

/// Opens a `RequestScope` around each request, so its reads can share what one read learned (the
/// member cache's catch-up with the change feed) until the request writes.
struct RequestScopeMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await RequestScope.$current.withValue(RequestScope()) { try await next(request, context) }
    }
}

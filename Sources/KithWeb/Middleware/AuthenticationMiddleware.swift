import Foundation
import Hummingbird
import KithDomain

/// Resolves the caller once per request. The API accepts only bearer tokens (so no browser can
/// be tricked into calling it with a cookie); pages accept only the session cookie.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let accounts: AccountService

    static let sessionCookie = "kith_session"
    static let csrfCookie = "kith_csrf"

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        var context = context
        if request.uri.path.hasPrefix("/api/") {
            if let header = request.headers[.authorization] {
                guard header.lowercased().hasPrefix("bearer "),
                    let member = try await accounts.member(bearer: String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
                else { throw DomainError.unauthorized("The bearer token is not valid.") }
                context.member = member
            }
        } else {
            if let token = request.cookies[Self.sessionCookie]?.value, let session = try await accounts.session(token: token) {
                context.member = session.member
                context.session = session
                context.sessionToken = token
            }
            context.csrfCookie = request.cookies[Self.csrfCookie]?.value
        }
        return try await next(request, context)
    }
}

import Foundation
import Hummingbird
import KithDomain

/// Cookie names. Browsers accept a `__Host-` cookie only when it is Secure, has no Domain and has
/// Path=/, so a sibling subdomain cannot plant or overwrite it; over plain HTTP (development on
/// loopback) the prefix cannot be used and the plain name is.
enum CookieNames {
    static func session(secure: Bool) -> String { secure ? "__Host-kith_session" : "kith_session" }
    static func csrf(secure: Bool) -> String { secure ? "__Host-kith_csrf" : "kith_csrf" }
}

/// When the community requires two-factor sign-in of its moderators and admins, one who has not
/// turned it on acts as a member until they do (their role's powers wait; nothing else changes).
struct StaffTwoFactorPolicy: Sendable {
    let required: Bool
    let twoFactor: TwoFactorService

    func effective(_ member: Member) async throws -> Member {
        guard required, member.role != .member, !(try await twoFactor.isEnabled(member)) else { return member }
        var acting = member
        acting.role = .member
        return acting
    }
}

/// The credential of the JSON API: a bearer token and nothing else, so no browser can be made to
/// call it with the member's cookie. It is attached to the API's route group only
/// (`buildRouter`), so which credential a request may use follows from the route it matched,
/// never from how its path was spelled.
struct BearerAuthentication: RouterMiddleware {
    typealias Context = AppRequestContext
    let accounts: AccountService
    let staff: StaffTwoFactorPolicy

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        var context = context
        if let header = request.headers[.authorization] {
            let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            guard header.lowercased().hasPrefix("bearer "), let member = try await accounts.member(bearer: token) else {
                throw DomainError.unauthorized("The bearer token is not valid.")
            }
            context.member = try await staff.effective(member)
            context.bearerToken = token
        }
        return try await next(request, context)
    }
}

/// The credential of web pages: the session cookie and nothing else (a bearer header is ignored).
/// Attached to the pages' route group only.
struct SessionAuthentication: RouterMiddleware {
    typealias Context = AppRequestContext
    let accounts: AccountService
    let csrfCookies: CSRFCookie
    let staff: StaffTwoFactorPolicy
    let messages: MessageService

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        var context = context
        let secure = context.servedOverTLS
        if let token = request.cookies[CookieNames.session(secure: secure)]?.value, let session = try await accounts.session(token: token) {
            context.member = try await staff.effective(session.member)
            context.session = session
            context.sessionToken = token
            // The navigation's count, for a page being shown (not for a form post or a redirect).
            if request.method == .get { context.unreadConversations = try await messages.unreadCount(of: session.member) }
        }
        // A CSRF cookie this instance did not mint (planted, or malformed) is as good as none.
        if let value = request.cookies[CookieNames.csrf(secure: secure)]?.value, csrfCookies.isValid(value) {
            context.csrfCookie = value
        }
        context.csrfCookies = csrfCookies
        return try await next(request, context)
    }
}

/// API writes carry JSON. A browser can send a cross-site form as `text/plain`,
/// `application/x-www-form-urlencoded` or `multipart/form-data` without asking first, so any other
/// type is refused with 415 — except on the routes that take a file, which name what they accept.
struct JSONWrites: RouterMiddleware {
    typealias Context = AppRequestContext
    /// Route templates that take an uploaded file instead of JSON.
    static let fileRoutes: Set<String> = ["/api/v1/contacts/import"]

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        guard [.post, .put, .patch, .delete].contains(request.method) else { return try await next(request, context) }
        let type =
            (request.headers[.contentType] ?? "").split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        let hasBody = request.headers[.transferEncoding] != nil || (request.headers[.contentLength].flatMap { Int($0) } ?? 0) > 0
        if Self.fileRoutes.contains(context.endpointPath ?? "") { return try await next(request, context) }
        if type.isEmpty && !hasBody { return try await next(request, context) }
        guard type == "application/json" || (type.hasPrefix("application/") && type.hasSuffix("+json")) else {
            throw HTTPError(.unsupportedMediaType, message: "API requests with a body must send it as application/json.")
        }
        return try await next(request, context)
    }
}

import Foundation
import Hummingbird
import KithDomain
import Logging

/// The one place failures become responses: RFC 9457 problem+json under /api, a friendly page
/// elsewhere. Unexpected errors are logged with the request id and never shown to the client.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem(error, requestID: context.id)
            if problem.status >= 500 {
                context.logger.error("unhandled error", metadata: ["error": .string(String(reflecting: error))])
            }
            if Self.isAPI(request, context: context) {
                return problem.jsonResponse()
            }
            if problem.status == 401 {
                let next =
                    request.uri.path == "/"
                    ? "" : "?next=" + (request.uri.path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "")
                return Response.redirect(to: AccountRoutes.Pages.signInForm.path + next, type: .found)
            }
            let chrome = PageChrome(member: context.member, csrfToken: context.session?.csrfToken ?? context.csrfCookie ?? "")
            let page = ErrorPage(chrome: chrome, status: problem.status, title: problem.title, message: problem.detail)
            var response = HTMLResponse(page.document(), status: .init(code: problem.status)).response()
            if let retry = problem.retryAfter { response.headers[.retryAfter] = String(retry) }
            return response
        }
    }
}

extension ErrorMiddleware {
    /// Whether the request is the API's: by the route it matched, or, when it matched none, by
    /// its first path segment (however many slashes came before it).
    static func isAPI(_ request: Request, context: Context) -> Bool {
        if let template = context.endpointPath, template.hasPrefix("/") { return template.hasPrefix("/api/") }
        return request.uri.path.split(separator: "/").first == "api"
    }
}

/// An RFC 9457 problem: status, title, detail and, for validation, the fields and rules.
struct Problem: Codable, NamedSchema {
    static var schemaName: String { "Problem" }

    var type = "about:blank"
    var title: String
    var status: Int
    var detail: String
    var errors: [FieldError]?
    var requestId: String?
    var retryAfter: Int?
    var totpRequired: Bool?

    init(_ error: any Error, requestID: String) {
        switch error {
        case let error as DomainError:
            switch error {
            case .invalid(let fields):
                (status, title, errors) = (422, "Invalid input", fields)
                detail = fields.map { "\($0.field) \($0.message)" }.joined(separator: "; ")
            case .notFound: (status, title, detail) = (404, "Not found", error.message)
            case .conflict(let field, let message):
                (status, title, detail) = (409, "Conflict", message)
                if let field { errors = [FieldError(field: field, message: message)] }
            case .forbidden: (status, title, detail) = (403, "Forbidden", error.message)
            case .unauthorized: (status, title, detail) = (401, "Unauthorized", error.message)
            case .rateLimited(let seconds):
                (status, title, detail, retryAfter) = (429, "Too many requests", error.message, seconds)
            }
        case is SecondFactorRequired:
            (status, title, totpRequired) = (401, "Unauthorized", true)
            detail = "Two-factor sign-in is on for this account: send a code from your authenticator app (or a recovery code) as totp."
        case is WorkTooLong:
            (status, title, retryAfter) = (503, "Taking too long", 5)
            detail = "This took too long to answer and was stopped. Try again, or narrow the search."
        case is CancellationError:
            // The client hung up and the work was stopped (`CancelOnDisconnectMiddleware`): nobody
            // reads this answer, and it is not a server error to log. 499 as nginx logs it.
            (status, title) = (499, "Client closed request")
            detail = "The request was stopped because the connection closed."
        case is ServerBusy:
            (status, title, retryAfter) = (503, "Busy", 10)
            detail = "Too many uploads are being read right now. Try again in a few seconds."
        case let error as MalformedBody:
            (status, title, detail) = (400, "Bad request", error.detail)
        case let error as any HTTPResponseError:
            status = Int(error.status.code)
            title = error.status.reasonPhrase
            detail =
                switch error.status {
                case .notFound: "There is nothing at this address."
                case .contentTooLarge: "The request body is too large (at most 256 KiB)."
                case .methodNotAllowed: "This method is not allowed here."
                default: (error as? HTTPError)?.body ?? error.status.reasonPhrase
                }
        default:
            (status, title) = (500, "Something went wrong")
            detail = "Something went wrong on our side. If it keeps happening, quote request id \(requestID)."
            requestId = requestID
        }
    }

    func jsonResponse() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        let data = (try? APIJSONEncoder().encode(self)) ?? Array("{}".utf8)
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

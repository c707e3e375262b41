import Foundation
import Hummingbird
import KithDomain

/// The credential of CardDAV and CalDAV: HTTP Basic with an app password, and nothing else (no
/// cookie, no bearer token, never the account password). Attached to the DAV route group only.
/// OPTIONS is answered without one, as clients ask it before they sign in.
struct DAVAuthentication: RouterMiddleware {
    typealias Context = AppRequestContext
    let appPasswords: AppPasswordService

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        if request.method == .options { return try await next(request, context) }
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let pair = String(data: decoded, encoding: .utf8), let colon = pair.firstIndex(of: ":"),
            let member = try await appPasswords.authenticate(
                username: String(pair[..<colon]),
                password: String(pair[pair.index(after: colon)...])
            )
        else { return Self.challenge() }
        var context = context
        context.member = member
        return try await next(request, context)
    }

    /// 401 asking for Basic credentials, with a word on which password to use.
    static func challenge() -> Response {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = "Basic realm=\"Kith\", charset=\"UTF-8\""
        headers[.contentType] = "text/plain; charset=utf-8"
        let text = "Sign in with your Kith handle or email and an app password (Settings → Contacts and calendar apps).\n"
        return Response(status: .unauthorized, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Failures on DAV routes become what DAV clients read: the precondition element the RFC names
/// where there is one, plain text otherwise. Unexpected errors go on to `ErrorMiddleware`.
struct DAVFailures: RouterMiddleware {
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
        } catch let error as DAVError {
            return DAVWriter.error(error)
        } catch let error as CardProblem {
            return DAVWriter.error(Self.davError(error))
        } catch is AddressBook.PreconditionFailed {
            return DAVWriter.error(DAVError(.preconditionFailed, "The card changed since you read it (its ETag differs)."))
        } catch let error as DomainError {
            switch error {
            case .unauthorized: return DAVAuthentication.challenge()
            case .invalid(let fields):
                let detail = fields.map { "\($0.field) \($0.message)" }.joined(separator: "; ")
                return DAVWriter.error(DAVError(.badRequest, detail, precondition: QName(DAVNamespace.cardDAV, "valid-address-data")))
            default:
                let problem = Problem(error, requestID: context.id)
                return DAVWriter.error(DAVError(.init(code: problem.status), problem.detail))
            }
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            return DAVWriter.error(DAVError(.contentTooLarge, "The request body is too large."))
        }
    }

    static func davError(_ problem: CardProblem) -> DAVError {
        switch problem {
        case .invalid: DAVError(.badRequest, problem.message, precondition: QName(DAVNamespace.cardDAV, "valid-address-data"))
        case .unsupportedVersion:
            DAVError(.unsupportedMediaType, problem.message, precondition: QName(DAVNamespace.cardDAV, "supported-address-data"))
        case .tooLarge: DAVError(.contentTooLarge, problem.message, precondition: QName(DAVNamespace.cardDAV, "max-resource-size"))
        case .uidConflict: DAVError(.conflict, problem.message, precondition: QName(DAVNamespace.cardDAV, "no-uid-conflict"))
        }
    }
}

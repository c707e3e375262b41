import Foundation
import Hummingbird
import KithDomain

/// A form post that passed the CSRF check. Signed-in forms carry the session's synchroniser
/// token; anonymous forms (sign in, sign up) carry the double-submit cookie's value.
struct VerifiedForm {
    let data: FormData

    static func read(_ request: Request, context: AppRequestContext, upTo limit: Int? = nil) async throws -> VerifiedForm {
        let buffer = try await request.body.collect(upTo: limit ?? context.maxUploadSize)
        let contentType = request.headers[.contentType] ?? ""
        let data: FormData
        if contentType.lowercased().hasPrefix("multipart/form-data") {
            guard let parsed = FormData(multipart: Data(buffer.readableBytesView), contentType: contentType) else {
                throw DomainError.invalid(field: "file", reason: "the upload could not be read; choose the file again")
            }
            data = parsed
        } else {
            data = FormData(String(buffer: buffer))
        }
        let expected = context.session?.csrfToken ?? context.csrfCookie
        guard let expected, !expected.isEmpty, let sent = data["_csrf"], ConstantTime.equal(sent, expected) else {
            throw DomainError.forbidden("This form has expired or did not come from Kith. Go back, reload the page and try again.")
        }
        return VerifiedForm(data: data)
    }
}

extension AppRequestContext {
    /// The chrome for a page; an anonymous visitor gets a CSRF cookie value to put in forms.
    func chrome(flash: String? = nil) -> PageChrome {
        PageChrome(
            member: member,
            csrfToken: session?.csrfToken ?? csrfCookie ?? "",
            flash: flash,
            unreadConversations: unreadConversations
        )
    }
}

enum Pages {
    /// Renders a page; for anonymous visitors without a CSRF cookie, sets one first.
    static func render(
        _ build: (PageChrome) -> HTMLResponse,
        context: AppRequestContext,
        request: Request,
        flash: String? = nil
    ) -> Response {
        var context = context
        var newCookie: String?
        if context.session == nil && (context.csrfCookie ?? "").isEmpty {
            let value = (context.csrfCookies ?? CSRFCookie.ephemeral()).mint()
            context.csrfCookie = value
            newCookie = value
        }
        var response = build(context.chrome(flash: flash)).response()
        if let newCookie {
            response.setCookie(
                Cookie(
                    name: CookieNames.csrf(secure: context.servedOverTLS),
                    value: newCookie,
                    path: "/",
                    secure: context.servedOverTLS,
                    httpOnly: true,
                    sameSite: .lax
                )
            )
        }
        return response
    }

    static func redirect(_ location: String) -> Response {
        Response.redirect(to: location, type: .normal)
    }

    /// Only plain same-site paths may be redirect targets after sign-in: a path of printable
    /// ASCII that starts with one `/`, and that still does after percent-decoding with no control
    /// characters or back-slashes in it (browsers drop a tab or read a back-slash as `/`, so
    /// `/%09/evil.example/` would leave the site) and no empty or dot segments.
    static func safeNext(_ raw: String?) -> String {
        guard let raw, raw.utf8.count < 300, raw.hasPrefix("/"),
            raw.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7f && $0 != "\\" })
        else { return "/" }
        let rawPath = raw.prefix { $0 != "?" && $0 != "#" }
        guard let path = rawPath.removingPercentEncoding,
            path.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7f && $0 != "\\" }),
            !path.hasPrefix("//"), CanonicalPathMiddleware.canonical(path) == nil
        else { return "/" }
        return raw
    }
}

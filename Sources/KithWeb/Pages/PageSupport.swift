import Foundation
import Hummingbird
import KithDomain

/// A form post that passed the CSRF check. Signed-in forms carry the session's synchroniser
/// token; anonymous forms (sign in, sign up) carry the double-submit cookie's value.
struct VerifiedForm {
    let data: FormData

    static func read(_ request: Request, context: AppRequestContext, upTo limit: Int? = nil) async throws -> VerifiedForm {
        var request = request
        let buffer = try await request.collectBody(upTo: limit ?? context.maxUploadSize)
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
        PageChrome(member: member, csrfToken: session?.csrfToken ?? csrfCookie ?? "", flash: flash)
    }
}

enum Pages {
    /// Renders a page; for anonymous visitors without a CSRF cookie, sets one first.
    static func render(
        _ build: (PageChrome) -> HTMLResponse,
        context: AppRequestContext,
        request: Request,
        secureCookies: Bool,
        flash: String? = nil
    ) -> Response {
        var context = context
        var newCookie: String?
        if context.session == nil && (context.csrfCookie ?? "").isEmpty {
            let value = SecretToken.generate(prefix: "").value
            context.csrfCookie = value
            newCookie = value
        }
        var response = build(context.chrome(flash: flash)).response()
        if let newCookie {
            response.setCookie(
                Cookie(
                    name: AuthenticationMiddleware.csrfCookie,
                    value: newCookie,
                    path: "/",
                    secure: Cookies.secure(request, configured: secureCookies),
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

    /// Only same-site paths may be redirect targets after sign-in.
    static func safeNext(_ raw: String?) -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.contains("\\"), raw.count < 300 else { return "/" }
        return raw
    }
}

enum Cookies {
    /// Cookies are Secure when the app is configured for TLS or a proxy says the request was HTTPS.
    static func secure(_ request: Request, configured: Bool) -> Bool {
        configured || request.headers[.init("X-Forwarded-Proto")!]?.lowercased() == "https"
    }
}

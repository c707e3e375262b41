import Foundation
import Hummingbird
import KithDomain

/// Sign up, sign in, sign out, and the admin's invitations page.
struct AccountPagesController {
    let accounts: AccountService
    let twoFactor: TwoFactorService
    let publicURL: String

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.on(AccountRoutes.Pages.signUpForm, use: signUpForm)
        router.on(AccountRoutes.Pages.signUp, use: signUp)
        router.on(AccountRoutes.Pages.signUpConfirmForm, use: signUpConfirmForm)
        router.on(AccountRoutes.Pages.confirmSignUp, use: confirmSignUp)
        router.on(AccountRoutes.Pages.signInForm, use: signInForm)
        router.on(AccountRoutes.Pages.signIn, use: signIn)
        router.on(AccountRoutes.Pages.signInSecondStep, use: signInSecondStep)
        router.on(AccountRoutes.Pages.beginTwoFactor, use: beginTwoFactor)
        router.on(AccountRoutes.Pages.confirmTwoFactor, use: confirmTwoFactor)
        router.on(AccountRoutes.Pages.disableTwoFactor, use: disableTwoFactor)
        router.on(AccountRoutes.Pages.signOut, use: signOut)
        router.on(AccountRoutes.Pages.security, use: security)
        router.on(AccountRoutes.Pages.passwordResetForm, use: passwordResetForm)
        router.on(AccountRoutes.Pages.requestPasswordReset, use: requestPasswordReset)
        router.on(AccountRoutes.Pages.passwordResetConfirmForm, use: passwordResetConfirmForm)
        router.on(AccountRoutes.Pages.confirmPasswordReset, use: confirmPasswordReset)
        router.on(AccountRoutes.Pages.changePassword, use: changePassword)
        router.on(AccountRoutes.Pages.revokeSession, use: revokeSession)
        router.on(AccountRoutes.Pages.invitations, use: invitations)
        router.on(AccountRoutes.Pages.createInvitation, use: createInvitation)
    }

    @Sendable func signUpForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        if context.member != nil { return Pages.redirect("/") }
        var form = SignUpForm()
        form.invitation = request.uri.queryParameters.get("invitation") ?? ""
        return render(form: form, errors: FieldErrors(), request: request, context: context)
    }

    @Sendable func signUp(_ request: Request, context: AppRequestContext) async throws -> Response {
        let data = try await VerifiedForm.read(request, context: context).data
        let form = SignUpForm(
            name: data.text("name"),
            handle: data.text("handle"),
            email: data.text("email"),
            invitation: data.text("invitation")
        )
        do {
            let result = try await accounts.signUp(
                RegistrationInput(
                    email: form.email,
                    password: data.text("password"),
                    name: form.name,
                    handle: form.handle,
                    invitation: form.invitation.isEmpty ? nil : form.invitation
                ),
                clientAddress: context.remoteAddress
            )
            switch result {
            case .registered(let member):
                return try await startSession(member, next: ProfileRoutes.Pages.editForm.path, request: request, context: context)
            case .confirmationSent:
                return Pages.render(
                    { HTMLResponse(SignUpSentPage(chrome: $0, email: form.email).document()) },
                    context: context,
                    request: request
                )
            }
        } catch let error as DomainError {
            var response = render(form: form, errors: FieldErrors(errors: Self.fieldErrors(error)), request: request, context: context)
            if case .rateLimited(let seconds) = error {
                response.status = .tooManyRequests
                response.headers[.retryAfter] = String(seconds)
            }
            return response
        }
    }

    /// The link from the confirmation email. Like the reset link, the token stays in the form
    /// only, and the answer is not cached and sends no referrer.
    @Sendable func signUpConfirmForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = request.uri.queryParameters.get("token") ?? ""
        return Pages.render({ HTMLResponse(SignUpConfirmPage(chrome: $0, token: token).document()) }, context: context, request: request)
    }

    @Sendable func confirmSignUp(_ request: Request, context: AppRequestContext) async throws -> Response {
        let data = try await VerifiedForm.read(request, context: context).data
        let token = data.text("token")
        do {
            let member = try await accounts.confirmRegistration(token: token)
            return try await startSession(member, next: ProfileRoutes.Pages.editForm.path, request: request, context: context)
        } catch let error as DomainError {
            let message =
                if case .invalid(let list) = error, let first = list.first, first.field == "token" {
                    "This link \(first.message)."
                } else { error.message }
            let errors = FieldErrors(errors: [FieldError(field: "form", message: message)])
            return Pages.render(
                { HTMLResponse(SignUpConfirmPage(chrome: $0, token: token, errors: errors).document(), status: Self.status(error)) },
                context: context,
                request: request
            )
        }
    }

    private func render(form: SignUpForm, errors: FieldErrors, request: Request, context: AppRequestContext) -> Response {
        let inviteOnly = accounts.settings.registration == .invite
        let status: HTTPResponse.Status = errors.errors.isEmpty ? .ok : .unprocessableContent
        return Pages.render(
            {
                HTMLResponse(
                    SignUpPage(
                        chrome: $0,
                        form: form,
                        errors: errors,
                        inviteOnly: inviteOnly,
                        confirmsEmail: accounts.settings.registration == .confirm
                    ).document(),
                    status: status
                )
            },
            context: context,
            request: request
        )
    }

    @Sendable func signInForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        if context.member != nil { return Pages.redirect("/") }
        let next = Pages.safeNext(request.uri.queryParameters.get("next"))
        return Pages.render(
            { HTMLResponse(SignInPage(chrome: $0, email: "", next: next, errors: FieldErrors()).document()) },
            context: context,
            request: request,
            flash: request.uri.queryParameters.get("reset") == "done" ? "Your new password is set: sign in with it." : nil
        )
    }

    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let data = try await VerifiedForm.read(request, context: context).data
        let email = data.text("email")
        let next = Pages.safeNext(data["next"])
        do {
            let member = try await accounts.signIn(email: email, password: data.text("password"), clientAddress: context.remoteAddress)
            if try await twoFactor.isEnabled(member) {
                let ticket = try await twoFactor.startChallenge(for: member)
                return Pages.render(
                    { HTMLResponse(TwoFactorSignInPage(chrome: $0, ticket: ticket, next: next).document()) },
                    context: context,
                    request: request
                )
            }
            return try await startSession(member, next: next, request: request, context: context)
        } catch let error as DomainError {
            let errors = FieldErrors(errors: [FieldError(field: "form", message: error.message)])
            var response = Pages.render(
                { HTMLResponse(SignInPage(chrome: $0, email: email, next: next, errors: errors).document(), status: Self.status(error)) },
                context: context,
                request: request
            )
            if case .rateLimited(let seconds) = error { response.headers[.retryAfter] = String(seconds) }
            return response
        }
    }

    /// The second step of a sign-in with two-factor sign-in on: the ticket from the first step
    /// and a code from the app (or a recovery code).
    @Sendable func signInSecondStep(_ request: Request, context: AppRequestContext) async throws -> Response {
        let data = try await VerifiedForm.read(request, context: context).data
        let ticket = data.text("ticket")
        let next = Pages.safeNext(data["next"])
        do {
            let member = try await twoFactor.completeChallenge(ticket, code: data.text("code"))
            return try await startSession(member, next: next, request: request, context: context)
        } catch let error as DomainError {
            if case .unauthorized = error {
                let errors = FieldErrors(errors: [FieldError(field: "form", message: error.message)])
                return Pages.render(
                    { HTMLResponse(SignInPage(chrome: $0, email: "", next: next, errors: errors).document(), status: .unauthorized) },
                    context: context,
                    request: request
                )
            }
            var response = Pages.render(
                {
                    HTMLResponse(
                        TwoFactorSignInPage(chrome: $0, ticket: ticket, next: next, errors: FieldErrors(errors: Self.fieldErrors(error)))
                            .document(),
                        status: Self.status(error)
                    )
                },
                context: context,
                request: request
            )
            if case .rateLimited(let seconds) = error { response.headers[.retryAfter] = String(seconds) }
            return response
        }
    }

    @Sendable func beginTwoFactor(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        _ = try await VerifiedForm.read(request, context: context)
        let setup = try await twoFactor.begin(for: member)
        return try await securityPage(member, context: context, setup: setup)
    }

    @Sendable func confirmTwoFactor(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        do {
            let codes = try await twoFactor.confirm(data.text("code"), for: member)
            return try await securityPage(member, context: context, recoveryCodes: codes)
        } catch let error as DomainError {
            return try await securityPage(
                member,
                context: context,
                errors: FieldErrors(errors: Self.fieldErrors(error)),
                status: Self.status(error)
            )
        }
    }

    @Sendable func disableTwoFactor(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        do {
            try await twoFactor.disable(for: member, password: data.text("password"))
            return Pages.redirect(AccountRoutes.Pages.security.path)
        } catch let error as DomainError {
            return try await securityPage(
                member,
                context: context,
                errors: FieldErrors(errors: Self.fieldErrors(error)),
                status: Self.status(error)
            )
        }
    }

    private func securityPage(
        _ member: Member,
        context: AppRequestContext,
        setup: TOTPSetup? = nil,
        recoveryCodes: [String]? = nil,
        errors: FieldErrors = FieldErrors(),
        notice: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        var page = SecurityPage(
            chrome: context.chrome(),
            credentials: try await accounts.credentials(of: member, current: context.sessionToken),
            errors: errors,
            notice: notice
        )
        page.twoFactorOn = try await twoFactor.isEnabled(member)
        page.recoveryCodesLeft = page.twoFactorOn ? try await twoFactor.unusedRecoveryCodes(of: member) : 0
        page.setup = setup
        page.recoveryCodes = recoveryCodes
        return HTMLResponse(page.document(), status: status).response()
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await VerifiedForm.read(request, context: context)
        if let token = context.sessionToken { try await accounts.endSession(token: token) }
        var response = Pages.redirect("/")
        response.setCookie(
            Cookie(
                name: CookieNames.session(secure: context.servedOverTLS),
                value: "",
                maxAge: 0,
                path: "/",
                secure: context.servedOverTLS,
                httpOnly: true,
                sameSite: .lax
            )
        )
        return response
    }

    /// A new session id on every sign-in (no fixation); any previous session of this browser ends.
    private func startSession(_ member: Member, next: String, request: Request, context: AppRequestContext) async throws -> Response {
        if let old = context.sessionToken { try await accounts.endSession(token: old) }
        let (token, session) = try await accounts.startSession(for: member, client: request.headers[.userAgent] ?? "")
        var response = Pages.redirect(next)
        response.setCookie(
            Cookie(
                name: CookieNames.session(secure: context.servedOverTLS),
                value: token.value,
                expires: session.expiresAt,
                path: "/",
                secure: context.servedOverTLS,
                httpOnly: true,
                sameSite: .lax
            )
        )
        return response
    }

    @Sendable func passwordResetForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        Pages.render({ HTMLResponse(PasswordResetRequestPage(chrome: $0).document()) }, context: context, request: request)
    }

    @Sendable func requestPasswordReset(_ request: Request, context: AppRequestContext) async throws -> Response {
        let data = try await VerifiedForm.read(request, context: context).data
        let email = data.text("email")
        do {
            try await accounts.requestPasswordReset(email: email, clientAddress: context.remoteAddress)
            return Pages.render(
                { HTMLResponse(PasswordResetRequestPage(chrome: $0, email: email, sent: true).document()) },
                context: context,
                request: request
            )
        } catch let error as DomainError {
            var response = Pages.render(
                {
                    HTMLResponse(
                        PasswordResetRequestPage(chrome: $0, email: email, errors: FieldErrors(errors: Self.fieldErrors(error))).document(),
                        status: Self.status(error)
                    )
                },
                context: context,
                request: request
            )
            if case .rateLimited(let seconds) = error { response.headers[.retryAfter] = String(seconds) }
            return response
        }
    }

    /// The token travels in the link the email holds; the page keeps it in the form only. The
    /// answer is never cached and sends no referrer (the security headers), so the token does not
    /// leak from here.
    @Sendable func passwordResetConfirmForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = request.uri.queryParameters.get("token") ?? ""
        return Pages.render({ HTMLResponse(PasswordResetPage(chrome: $0, token: token).document()) }, context: context, request: request)
    }

    @Sendable func confirmPasswordReset(_ request: Request, context: AppRequestContext) async throws -> Response {
        let data = try await VerifiedForm.read(request, context: context).data
        let token = data.text("token")
        do {
            try await accounts.completePasswordReset(token: token, password: data.text("password"))
            return Pages.redirect(AccountRoutes.Pages.signInForm.path + "?reset=done")
        } catch let error as DomainError {
            return Pages.render(
                {
                    HTMLResponse(
                        PasswordResetPage(chrome: $0, token: token, errors: FieldErrors(errors: Self.fieldErrors(error))).document(),
                        status: Self.status(error)
                    )
                },
                context: context,
                request: request
            )
        }
    }

    @Sendable func security(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let notice =
            request.uri.queryParameters.get("done") == "password" ? "Your password was changed. Every other session was signed out." : nil
        return try await securityPage(member, context: context, notice: notice)
    }

    @Sendable func changePassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        do {
            try await accounts.changePassword(
                of: member,
                current: data.text("current_password"),
                new: data.text("new_password"),
                keeping: context.sessionToken
            )
            return Pages.redirect(AccountRoutes.Pages.security.path + "?done=password")
        } catch let error as DomainError {
            var response = try await securityPage(
                member,
                context: context,
                errors: FieldErrors(errors: Self.fieldErrors(error)),
                status: Self.status(error)
            )
            if case .rateLimited(let seconds) = error { response.headers[.retryAfter] = String(seconds) }
            return response
        }
    }

    @Sendable func revokeSession(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        _ = try await VerifiedForm.read(request, context: context)
        try await accounts.revoke(credential: context.parameters.get("id") ?? "", of: member)
        return Pages.redirect(AccountRoutes.Pages.security.path)
    }

    @Sendable func invitations(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        guard member.role == .admin else { throw DomainError.forbidden("Only admins can invite new members.") }
        return HTMLResponse(InvitationsPage(chrome: context.chrome(), link: nil, email: "", errors: FieldErrors()).document()).response()
    }

    @Sendable func createInvitation(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        let email = data.text("email")
        do {
            let token = try await accounts.invite(email: email, by: member)
            let link = "\(publicURL)/signup?invitation=\(token.value)"
            return HTMLResponse(InvitationsPage(chrome: context.chrome(), link: link, email: "", errors: FieldErrors()).document())
                .response()
        } catch DomainError.invalid(let errors) {
            return HTMLResponse(
                InvitationsPage(chrome: context.chrome(), link: nil, email: email, errors: FieldErrors(errors: errors)).document(),
                status: .unprocessableContent
            ).response()
        }
    }

    static func fieldErrors(_ error: DomainError) -> [FieldError] {
        switch error {
        case .invalid(let errors): errors
        case .conflict(let field, let message): [FieldError(field: field ?? "form", message: message)]
        default: [FieldError(field: "form", message: error.message)]
        }
    }

    static func status(_ error: DomainError) -> HTTPResponse.Status {
        switch error {
        case .rateLimited: .tooManyRequests
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .conflict: .conflict
        default: .unprocessableContent
        }
    }
}

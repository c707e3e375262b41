import Hummingbird
import KithDomain

/// The accounts routes: each written once, here (see `Endpoint`).
enum AccountRoutes {
    enum API {
        static let register = Endpoint<NoParameters>(
            .post,
            "/api/v1/auth/register",
            .everyone,
            "Create an account and get an API token",
            input: AccountAPIController.RegisterRequest.self,
            operation: APIOperation(
                "register",
                .json(201, "Registered", AuthDTO.self),
                .json(
                    202,
                    "Registration `confirm`: a confirmation link is on its way (the same answer when the address has an account)",
                    SignUpPendingDTO.self
                ),
                errors: [400, 403, 409, 413, 422, 429]
            )
        )
        static let confirmRegistration = Endpoint<NoParameters>(
            .post,
            "/api/v1/auth/register/confirm",
            .everyone,
            "Finish a sign-up with the token from its confirmation email: the account is created",
            input: AccountAPIController.ConfirmRegistrationRequest.self,
            operation: APIOperation("confirmRegistration", .json(201, "Registered", AuthDTO.self), errors: [400, 409, 413, 422])
        )
        static let createToken = Endpoint<NoParameters>(
            .post,
            "/api/v1/auth/token",
            .everyone,
            "Sign in and get an API token",
            input: AccountAPIController.TokenRequest.self,
            operation: APIOperation("createToken", .json("Signed in", TokenDTO.self), errors: [400, 401, 413, 422, 429])
        )
        static let revokeToken = Endpoint<NoParameters>(
            .delete,
            "/api/v1/auth/token",
            .caller,
            "Revoke the token used for this call",
            operation: APIOperation("revokeToken", .empty("Revoked"))
        )
        static let me = Endpoint<NoParameters>(
            .get,
            "/api/v1/me",
            .caller,
            "The caller's full profile",
            operation: APIOperation("me", .json("Profile", MeDTO.self))
        )
        static let updateProfile = Endpoint<NoParameters>(
            .patch,
            "/api/v1/me/profile",
            .caller,
            "Change the caller's profile",
            input: AccountAPIController.ProfileRequest.self,
            operation: APIOperation("updateProfile", .json("Updated profile", ProfileDTO.self), errors: [400, 413, 422])
        )
        static let addAffiliation = Endpoint<NoParameters>(
            .post,
            "/api/v1/me/affiliations",
            .caller,
            "Add a school, employer, association or programme",
            input: AccountAPIController.AffiliationRequest.self,
            operation: APIOperation("addAffiliation", .json(201, "Added", AffiliationDTO.self), errors: [400, 413, 422])
        )
        static let removeAffiliation = Endpoint<OneParameter<Affiliation.ID>>(
            .delete,
            "/api/v1/me/affiliations/:id",
            .owner,
            "Remove one of the caller's affiliations",
            operation: APIOperation("removeAffiliation", .empty("Removed"), errors: [404])
        )
        static let sessions = Endpoint<NoParameters>(
            .get,
            "/api/v1/me/sessions",
            .caller,
            "The caller's browser sessions and API tokens (never their secrets), with their last use",
            operation: APIOperation("sessions", .json("Sessions and tokens", ListDTO<CredentialDTO>.self))
        )
        static let revokeSession = Endpoint<OneParameter<String>>(
            .delete,
            "/api/v1/me/sessions/:id",
            .owner,
            "End one of the caller's sessions or tokens",
            operation: APIOperation("revokeSession", .empty("Ended"), errors: [404])
        )
        static let changePassword = Endpoint<NoParameters>(
            .post,
            "/api/v1/me/password",
            .caller,
            "Change the caller's password; every other session and token ends",
            input: AccountAPIController.PasswordRequest.self,
            operation: APIOperation("changePassword", .empty("Changed"), errors: [400, 413, 422, 429])
        )
        static let requestPasswordReset = Endpoint<NoParameters>(
            .post,
            "/api/v1/auth/password-reset",
            .everyone,
            "Mail a single-use reset link (30 minutes) to the account with this address; the same answer whatever the address",
            input: AccountAPIController.ResetRequest.self,
            operation: APIOperation(
                "requestPasswordReset",
                .empty(202, "If the address has an account, a link is on its way"),
                errors: [400, 413, 422, 429]
            )
        )
        static let beginTOTP = Endpoint<NoParameters>(
            .post,
            "/api/v1/me/2fa/totp",
            .caller,
            "Start two-factor sign-in: a new authenticator secret, off until confirmed",
            operation: APIOperation("beginTOTP", .json("Secret", TOTPSetupDTO.self), errors: [409])
        )
        static let confirmTOTP = Endpoint<NoParameters>(
            .post,
            "/api/v1/me/2fa/totp/confirm",
            .caller,
            "Turn two-factor sign-in on with a code from the app; the ten recovery codes are shown this once",
            input: AccountAPIController.CodeRequest.self,
            operation: APIOperation("confirmTOTP", .json("On", RecoveryCodesDTO.self), errors: [400, 409, 413, 422, 429])
        )
        static let disableTOTP = Endpoint<NoParameters>(
            .delete,
            "/api/v1/me/2fa/totp",
            .caller,
            "Turn two-factor sign-in off (the password is required)",
            input: AccountAPIController.PasswordOnly.self,
            operation: APIOperation("disableTOTP", .empty("Off"), errors: [400, 413, 422, 429])
        )
        static let confirmPasswordReset = Endpoint<NoParameters>(
            .post,
            "/api/v1/auth/password-reset/confirm",
            .everyone,
            "Set a new password with a reset link's token; every session and token of the member ends",
            input: AccountAPIController.ResetConfirmation.self,
            operation: APIOperation("confirmPasswordReset", .empty("Changed"), errors: [400, 413, 422])
        )

        static let all: [AnyEndpoint] = [
            register.erased, confirmRegistration.erased, createToken.erased, revokeToken.erased, me.erased, updateProfile.erased,
            addAffiliation.erased, removeAffiliation.erased, sessions.erased, revokeSession.erased, changePassword.erased,
            requestPasswordReset.erased, beginTOTP.erased, confirmTOTP.erased, disableTOTP.erased, confirmPasswordReset.erased,
        ]
    }

    enum Pages {
        static let signUpForm = Endpoint<NoParameters>(.get, "/signup", .everyone, "The sign-up form")
        static let signUp = Endpoint<NoParameters>(
            .post,
            "/signup",
            .everyone,
            "Sign up (or \"check your email\" with registration confirm)"
        )
        static let signUpConfirmForm = Endpoint<NoParameters>(
            .get,
            "/signup/confirm",
            .everyone,
            "The page a confirmation link opens (a button; creates nothing)"
        )
        static let confirmSignUp = Endpoint<NoParameters>(.post, "/signup/confirm", .everyone, "Finish a sign-up from its link and sign in")
        static let signInForm = Endpoint<NoParameters>(.get, "/signin", .everyone, "The sign-in form")
        static let signIn = Endpoint<NoParameters>(.post, "/signin", .everyone, "Sign in (then the second factor when it is on)")
        static let signInSecondStep = Endpoint<NoParameters>(
            .post,
            "/signin/two-factor",
            .everyone,
            "The second step of a sign-in: a code from the app or a recovery code"
        )
        static let beginTwoFactor = Endpoint<NoParameters>(.post, "/me/two-factor", .caller, "Start turning on two-factor sign-in")
        static let confirmTwoFactor = Endpoint<NoParameters>(
            .post,
            "/me/two-factor/confirm",
            .caller,
            "Turn on two-factor sign-in with a first code"
        )
        static let disableTwoFactor = Endpoint<NoParameters>(.post, "/me/two-factor/disable", .caller, "Turn off two-factor sign-in")
        static let signOut = Endpoint<NoParameters>(.post, "/signout", .caller, "Sign out")
        static let security = Endpoint<NoParameters>(.get, "/me/security", .caller, "Password, two-factor sign-in, sessions and tokens")
        static let passwordResetForm = Endpoint<NoParameters>(.get, "/password-reset", .everyone, "Ask for a password reset link")
        static let requestPasswordReset = Endpoint<NoParameters>(
            .post,
            "/password-reset",
            .everyone,
            "Mail a reset link (the same answer for every address)"
        )
        static let passwordResetConfirmForm = Endpoint<NoParameters>(
            .get,
            "/password-reset/confirm",
            .everyone,
            "The page a reset link opens"
        )
        static let confirmPasswordReset = Endpoint<NoParameters>(
            .post,
            "/password-reset/confirm",
            .everyone,
            "Set a new password from a reset link"
        )
        static let changePassword = Endpoint<NoParameters>(
            .post,
            "/me/password",
            .caller,
            "Change the password (signs out everything else)"
        )
        static let revokeSession = Endpoint<OneParameter<String>>(
            .post,
            "/me/sessions/:id/revoke",
            .owner,
            "End one of the caller's sessions or tokens"
        )
        static let invitations = Endpoint<NoParameters>(.get, "/admin/invitations", .admin, "Invitations (admins)")
        static let createInvitation = Endpoint<NoParameters>(.post, "/admin/invitations", .admin, "Make an invitation link (admins)")

        static let all: [AnyEndpoint] = [
            signUpForm.erased, signUp.erased, signUpConfirmForm.erased, confirmSignUp.erased, signInForm.erased, signIn.erased,
            signInSecondStep.erased, beginTwoFactor.erased, confirmTwoFactor.erased, disableTwoFactor.erased, signOut.erased,
            security.erased, passwordResetForm.erased, requestPasswordReset.erased, passwordResetConfirmForm.erased,
            confirmPasswordReset.erased, changePassword.erased, revokeSession.erased, invitations.erased, createInvitation.erased,
        ]
    }

    static let all: [AnyEndpoint] = API.all + Pages.all
}

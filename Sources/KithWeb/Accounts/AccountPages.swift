import Foundation
import KithDomain
import Plot

/// What the sign-up form shows again after a failed attempt (never the password).
struct SignUpForm: Sendable {
    var name = ""
    var handle = ""
    var email = ""
    var invitation = ""
}

struct SignUpPage {
    let chrome: PageChrome
    let form: SignUpForm
    let errors: FieldErrors
    let inviteOnly: Bool
    /// Registration `confirm`: the account is made once the emailed link is opened.
    var confirmsEmail = false

    func document() -> HTML {
        let known: Set<String> = ["name", "handle", "email", "password", "invitation"]
        return Layout.page(
            title: "Join",
            chrome: chrome,
            .section(
                .class("card narrow"),
                .h1("Join your community on Kith"),
                .p(
                    .class("lede"),
                    .text("Find classmates and colleagues, keep in touch, and help each other along the way.")
                ),
                .form(
                    .method(.post),
                    .action(AccountRoutes.Pages.signUp.path),
                    .novalidate(),
                    csrfField(chrome.csrfToken),
                    Field.summary(errors.others(known: known)),
                    Field.text("name", label: "Full name", value: form.name, errors: errors, required: true, autocomplete: "name"),
                    Field.text(
                        "handle",
                        label: "Handle",
                        value: form.handle,
                        errors: errors,
                        hint: "Your address on Kith: /in/your-handle. 3–30 characters: a–z, 0–9 and '-'.",
                        required: true,
                        autocomplete: "username"
                    ),
                    Field.text(
                        "email",
                        label: "Email",
                        value: form.email,
                        type: .email,
                        errors: errors,
                        required: true,
                        autocomplete: "email"
                    ),
                    Field.text(
                        "password",
                        label: "Password",
                        value: "",
                        type: .password,
                        errors: errors,
                        hint: "At least 8 characters.",
                        required: true,
                        autocomplete: "new-password"
                    ),
                    .if(
                        inviteOnly,
                        Field.text(
                            "invitation",
                            label: "Invitation code",
                            value: form.invitation,
                            errors: errors,
                            hint: "This community is invite-only: paste the code from your invitation link.",
                            required: true
                        )
                    ),
                    .if(!inviteOnly && !form.invitation.isEmpty, .input(.type(.hidden), .name("invitation"), .value(form.invitation))),
                    .if(
                        confirmsEmail && form.invitation.isEmpty,
                        .p(.class("hint"), .text("We will email you a link: your account is created when you open it."))
                    ),
                    .button(.type(.submit), .class("primary"), .text("Create my account"))
                ),
                .p(.text("Already a member? "), .a(.href(AccountRoutes.Pages.signInForm.path), .text("Sign in")))
            )
        )
    }
}

struct SignInPage {
    let chrome: PageChrome
    let email: String
    let next: String
    let errors: FieldErrors

    func document() -> HTML {
        Layout.page(
            title: "Sign in",
            chrome: chrome,
            .section(
                .class("card narrow"),
                .h1("Welcome back"),
                .form(
                    .method(.post),
                    .action(AccountRoutes.Pages.signIn.path),
                    .novalidate(),
                    csrfField(chrome.csrfToken),
                    .input(.type(.hidden), .name("next"), .value(next)),
                    Field.summary(errors.others(known: ["email", "password"])),
                    Field.text("email", label: "Email", value: email, type: .email, errors: errors, required: true, autocomplete: "email"),
                    Field.text(
                        "password",
                        label: "Password",
                        value: "",
                        type: .password,
                        errors: errors,
                        required: true,
                        autocomplete: "current-password"
                    ),
                    .button(.type(.submit), .class("primary"), .text("Sign in"))
                ),
                .p(.a(.href(AccountRoutes.Pages.passwordResetForm.path), .text("Forgot your password?"))),
                .p(.text("New here? "), .a(.href(AccountRoutes.Pages.signUpForm.path), .text("Join your community")))
            )
        )
    }
}

struct ErrorPage {
    let chrome: PageChrome
    let status: Int
    let title: String
    let message: String

    func document() -> HTML {
        Layout.page(
            title: title,
            chrome: chrome,
            .section(
                .class("card narrow"),
                .h1(.text(title)),
                .p(.text(message)),
                .p(
                    .a(.href(ProfileRoutes.Pages.home.path), .text("Go to the home page")),
                    .text(" · "),
                    .a(.href(ProfileRoutes.Pages.search.path), .text("Search the directory"))
                )
            )
        )
    }
}

struct InvitationsPage {
    let chrome: PageChrome
    let link: String?
    let email: String
    let errors: FieldErrors

    func document() -> HTML {
        Layout.page(
            title: "Invite members",
            chrome: chrome,
            .section(
                .class("card narrow"),
                .h1("Invite a member"),
                .p(.text("Each invitation link admits one person and expires after 14 days.")),
                .unwrap(link) { link in
                    .div(
                        .class("notice"),
                        .attribute(named: "role", value: "status"),
                        .p(.strong("Invitation created. Send this link:")),
                        .p(.code(.class("invite-link"), .text(link)))
                    )
                },
                .form(
                    .method(.post),
                    .action(AccountRoutes.Pages.createInvitation.path),
                    csrfField(chrome.csrfToken),
                    Field.text(
                        "email",
                        label: "Email (optional)",
                        value: email,
                        type: .email,
                        errors: errors,
                        hint: "When given, only this address can use the invitation."
                    ),
                    .button(.type(.submit), .class("primary"), .text("Create invitation link"))
                )
            )
        )
    }
}

/// The member's account security: change the password, see every session and token (with its
/// last use) and end any of them.
struct SecurityPage {
    let chrome: PageChrome
    let credentials: [CredentialInfo]
    var errors = FieldErrors()
    var notice: String?
    var twoFactorOn = false
    var recoveryCodesLeft = 0
    /// A secret just made, to be confirmed with a code.
    var setup: TOTPSetup?
    /// Recovery codes just made, shown this once.
    var recoveryCodes: [String]?

    func document() -> HTML {
        Layout.page(
            title: "Sign-in and security",
            chrome: chrome,
            .p(.a(.href(ProfileRoutes.Pages.editForm.path), .text("← Profile"))),
            .h1("Sign-in and security"),
            .unwrap(notice) { .div(.class("notice"), .attribute(named: "role", value: "status"), .p(.text($0))) },
            .section(
                .class("card"),
                .h2("Change your password"),
                .p(.class("hint"), .text("Every other browser and every API token is signed out when you do.")),
                .form(
                    .method(.post),
                    .action(AccountRoutes.Pages.changePassword.path),
                    csrfField(chrome.csrfToken),
                    Field.summary(errors.others(known: ["current_password", "new_password"])),
                    Field.text(
                        "current_password",
                        label: "Current password",
                        value: "",
                        type: .password,
                        errors: errors,
                        required: true,
                        autocomplete: "current-password"
                    ),
                    Field.text(
                        "new_password",
                        label: "New password",
                        value: "",
                        type: .password,
                        errors: errors,
                        hint: "At least 8 characters.",
                        required: true,
                        autocomplete: "new-password"
                    ),
                    .button(.type(.submit), .class("primary"), .text("Change password"))
                )
            ),
            twoFactorSection,
            .section(
                .class("card"),
                .h2("Contacts and calendar apps"),
                .p(
                    .text("Your Kith contacts in your phone's address book, your events and follow-ups in its calendar: "),
                    .a(.href(DAVRoutes.Pages.list.path), .text("make an app password"))
                )
            ),
            .section(
                .class("card"),
                .h2("Where you're signed in"),
                .ul(
                    .class("sessions"),
                    .forEach(credentials) { credential in
                        .li(
                            .strong(.text(credential.kind == .session ? credential.name : "API token “\(credential.name)”")),
                            .if(credential.current, .span(.class("badge"), .text(" this browser"))),
                            .p(
                                .class("hint"),
                                .text("Signed in \(Self.day(credential.createdAt))"),
                                .unwrap(credential.lastUsedAt) { .text(" · last used \(Self.day($0))") },
                                .unwrap(credential.expiresAt) { .text(" · ends \(Self.day($0))") }
                            ),
                            .if(
                                !credential.current,
                                Controls.postButton(
                                    AccountRoutes.Pages.revokeSession.path(credential.id),
                                    label: credential.kind == .session ? "Sign out" : "Revoke",
                                    csrf: chrome.csrfToken
                                )
                            )
                        )
                    }
                )
            )
        )
    }

    var twoFactorSection: Node<HTML.BodyContext> {
        .section(
            .class("card"),
            .id("two-factor"),
            .h2("Two-factor sign-in"),
            .unwrap(recoveryCodes) { codes in
                .div(
                    .class("notice"),
                    .attribute(named: "role", value: "status"),
                    .p(
                        .strong(
                            "Two-factor sign-in is on. Keep these recovery codes somewhere safe: each signs you in once if you lose your phone. They are shown only now."
                        )
                    ),
                    .ul(.class("codes"), .forEach(codes) { .li(.code(.text($0))) })
                )
            },
            .if(
                twoFactorOn && recoveryCodes == nil,
                .group(
                    .p(
                        .text(
                            "On: signing in asks for a code from your authenticator app. \(recoveryCodesLeft) unused recovery codes left."
                        )
                    ),
                    .form(
                        .method(.post),
                        .action(AccountRoutes.Pages.disableTwoFactor.path),
                        csrfField(chrome.csrfToken),
                        Field.text(
                            "password",
                            label: "Your password, to turn it off",
                            value: "",
                            type: .password,
                            errors: errors,
                            autocomplete: "current-password"
                        ),
                        .button(.type(.submit), .text("Turn off two-factor sign-in"))
                    )
                )
            ),
            .unwrap(setup) { setup in
                .group(
                    .p(
                        .text(
                            "Add this account to your authenticator app (Google Authenticator, 1Password, Aegis, …): open the link on your phone, or type the key."
                        )
                    ),
                    .p(.a(.href(setup.uri), .text("Open in your authenticator app"))),
                    .p(.text("Key: "), .code(.id("totp-secret"), .text(setup.secret))),
                    .form(
                        .method(.post),
                        .action(AccountRoutes.Pages.confirmTwoFactor.path),
                        csrfField(chrome.csrfToken),
                        Field.text(
                            "code",
                            label: "The 6-digit code the app shows",
                            value: "",
                            errors: errors,
                            autocomplete: "one-time-code"
                        ),
                        .button(.type(.submit), .class("primary"), .text("Turn on"))
                    )
                )
            },
            .if(
                !twoFactorOn && setup == nil && recoveryCodes == nil,
                .group(
                    .p(
                        .text(
                            "Off. With it on, signing in also asks for a code from an app on your phone, so a stolen password alone is not enough."
                        )
                    ),
                    .if(errors.message("code") != nil, .p(.class("error"), .text(errors.message("code") ?? ""))),
                    .form(
                        .method(.post),
                        .action(AccountRoutes.Pages.beginTwoFactor.path),
                        csrfField(chrome.csrfToken),
                        .button(.type(.submit), .class("primary"), .text("Set up two-factor sign-in"))
                    )
                )
            )
        )
    }

    static func day(_ date: Date) -> String {
        var style = Date.FormatStyle(date: .abbreviated, time: .shortened, locale: Locale(identifier: "en_GB"))
        style.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        return date.formatted(style) + " UTC"
    }
}

/// Asking for a reset link, and the same "check your email" answer whatever the address.
struct PasswordResetRequestPage {
    let chrome: PageChrome
    var email = ""
    var sent = false
    var errors = FieldErrors()

    func document() -> HTML {
        Layout.page(
            title: "Reset your password",
            chrome: chrome,
            .section(
                .class("card narrow"),
                .h1("Reset your password"),
                sent
                    ? .div(
                        .class("notice"),
                        .attribute(named: "role", value: "status"),
                        .p(
                            .text(
                                "Check your email. If \(email) belongs to an account here, a link to choose a new password is on its way. "
                                    + "It works once, for 30 minutes."
                            )
                        )
                    )
                    : .form(
                        .method(.post),
                        .action(AccountRoutes.Pages.requestPasswordReset.path),
                        .novalidate(),
                        csrfField(chrome.csrfToken),
                        Field.summary(errors.others(known: ["email"])),
                        Field.text(
                            "email",
                            label: "Your email",
                            value: email,
                            type: .email,
                            errors: errors,
                            required: true,
                            autocomplete: "email"
                        ),
                        .button(.type(.submit), .class("primary"), .text("Email me a link"))
                    ),
                .p(.a(.href(AccountRoutes.Pages.signInForm.path), .text("Back to sign in")))
            )
        )
    }
}

/// "Check your email" after signing up with registration `confirm`: the same words whether or
/// not the address already has an account.
struct SignUpSentPage {
    let chrome: PageChrome
    let email: String

    func document() -> HTML {
        Layout.page(
            title: "Check your email",
            chrome: chrome,
            .section(
                .class("card narrow"),
                .h1("Check your email"),
                .div(
                    .class("notice"),
                    .attribute(named: "role", value: "status"),
                    .p(
                        .text(
                            "We sent a message to \(email). Open the link in it within 48 hours to finish creating your account. "
                                + "Nothing there? Look in the spam folder, or sign up again."
                        )
                    )
                ),
                .p(.a(.href(AccountRoutes.Pages.signInForm.path), .text("Back to sign in")))
            )
        )
    }
}

/// The page a confirmation link opens: one button, so a mail scanner following the link creates
/// nothing (only the POST does).
struct SignUpConfirmPage {
    let chrome: PageChrome
    let token: String
    var errors = FieldErrors()

    func document() -> HTML {
        Layout.page(
            title: "Confirm your account",
            chrome: chrome,
            .section(
                .class("card narrow"),
                .h1("Confirm your account"),
                .form(
                    .method(.post),
                    .action(AccountRoutes.Pages.confirmSignUp.path),
                    .novalidate(),
                    csrfField(chrome.csrfToken),
                    .input(.type(.hidden), .name("token"), .value(token)),
                    Field.summary(errors.others(known: [])),
                    .button(.type(.submit), .class("primary"), .text("Confirm and sign in"))
                ),
                .p(.a(.href(AccountRoutes.Pages.signUpForm.path), .text("Sign up again")))
            )
        )
    }
}

/// Choosing a new password from a reset link.
struct PasswordResetPage {
    let chrome: PageChrome
    let token: String
    var errors = FieldErrors()

    func document() -> HTML {
        Layout.page(
            title: "Choose a new password",
            chrome: chrome,
            .section(
                .class("card narrow"),
                .h1("Choose a new password"),
                .p(.class("hint"), .text("Every browser and API token signed in to your account will be signed out.")),
                .form(
                    .method(.post),
                    .action(AccountRoutes.Pages.confirmPasswordReset.path),
                    .novalidate(),
                    csrfField(chrome.csrfToken),
                    .input(.type(.hidden), .name("token"), .value(token)),
                    Field.summary(errors.others(known: ["password"])),
                    Field.text(
                        "password",
                        label: "New password",
                        value: "",
                        type: .password,
                        errors: errors,
                        hint: "At least 8 characters.",
                        required: true,
                        autocomplete: "new-password"
                    ),
                    .button(.type(.submit), .class("primary"), .text("Set my new password"))
                )
            )
        )
    }
}

/// The second step of signing in when two-factor sign-in is on.
struct TwoFactorSignInPage {
    let chrome: PageChrome
    let ticket: String
    let next: String
    var errors = FieldErrors()

    func document() -> HTML {
        Layout.page(
            title: "Two-factor sign-in",
            chrome: chrome,
            .section(
                .class("card narrow"),
                .h1("One more step"),
                .p(.text("Enter the 6-digit code from your authenticator app, or one of your recovery codes.")),
                .form(
                    .method(.post),
                    .action(AccountRoutes.Pages.signInSecondStep.path),
                    .novalidate(),
                    csrfField(chrome.csrfToken),
                    .input(.type(.hidden), .name("ticket"), .value(ticket)),
                    .input(.type(.hidden), .name("next"), .value(next)),
                    Field.summary(errors.others(known: ["code"])),
                    Field.text("code", label: "Code", value: "", errors: errors, required: true, autocomplete: "one-time-code"),
                    .button(.type(.submit), .class("primary"), .text("Sign in"))
                )
            )
        )
    }
}

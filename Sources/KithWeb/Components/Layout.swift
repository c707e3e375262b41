import Foundation
import KithDomain
import Plot

/// What every page's chrome needs: who is signed in and the CSRF token for its forms.
struct PageChrome: Sendable {
    var member: Member?
    var csrfToken: String
    var flash: String? = nil
    /// Conversations with something unread, and message requests waiting.
    var unreadConversations = 0
}

/// The shared page chrome. Pages supply a title and their main content; nothing else repeats.
enum Layout {
    static func page(title: String, chrome: PageChrome, _ content: Node<HTML.BodyContext>...) -> HTML {
        HTML(
            .lang(.english),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .element(named: "title", text: "\(title) · Kith"),
                .meta(.name("description"), .content("Kith: your community's professional network.")),
                .link(.rel(.stylesheet), .href(ProfileRoutes.Pages.stylesheet.path)),
                .link(.rel(.icon), .href(ProfileRoutes.Pages.favicon.path), .type("image/svg+xml")),
                .script(.src(ProfileRoutes.Pages.script.path), .attribute(named: "defer"))
            ),
            .body(
                .a(.class("skip"), .href("#main"), .text("Skip to content")),
                header(chrome),
                .element(
                    named: "main",
                    nodes: [
                        .id("main"),
                        .unwrap(chrome.flash) { .p(.class("flash"), .attribute(named: "role", value: "status"), .text($0)) },
                        .group(content),
                    ]
                ),
                .footer(
                    .class("site-footer"),
                    .p(.text("Kith — a professional network that belongs to its community."))
                )
            )
        )
    }

    private static func header(_ chrome: PageChrome) -> Node<HTML.BodyContext> {
        .header(
            .class("site-header"),
            .a(.class("brand"), .href(ProfileRoutes.Pages.home.path), .text("Kith")),
            .nav(
                .ariaLabel("Main"),
                .if(
                    chrome.member != nil,
                    .group(
                        .a(.href(ProfileRoutes.Pages.home.path), .text("Home")),
                        .a(.href(ProfileRoutes.Pages.search.path), .text("Directory")),
                        .a(.href(NetworkRoutes.Pages.network.path), .text("Network")),
                        .a(.href(AskRoutes.Pages.list.path), .text("Asks")),
                        .a(.href(IntroductionRoutes.Pages.list.path), .text("Introductions")),
                        .a(
                            .href(MessageRoutes.Pages.inbox.path),
                            .text("Messages"),
                            .if(
                                chrome.unreadConversations > 0,
                                .span(
                                    .class("count"),
                                    .attribute(named: "aria-label", value: "\(chrome.unreadConversations) unread"),
                                    .text(" \(chrome.unreadConversations)")
                                )
                            )
                        ),
                        .a(.href(EventRoutes.Pages.list.path), .text("Events")),
                        .a(.href(ContactRoutes.Pages.list.path), .text("Contacts")),
                        .a(.href(ContactRoutes.Pages.keepInTouch.path), .text("Keep in touch")),
                        .unwrap(chrome.member) { .a(.href(ProfileRoutes.Pages.show.path($0.handle)), .text("My profile")) },
                        .if(chrome.member?.role == .admin, .a(.href(AccountRoutes.Pages.invitations.path), .text("Invite"))),
                        .form(
                            .class("inline"),
                            .method(.post),
                            .action(AccountRoutes.Pages.signOut.path),
                            csrfField(chrome.csrfToken),
                            .button(.type(.submit), .class("link"), .text("Sign out"))
                        )
                    ),
                    else: .group(
                        .a(.href(AccountRoutes.Pages.signInForm.path), .text("Sign in")),
                        .a(.class("button"), .href(AccountRoutes.Pages.signUpForm.path), .text("Join"))
                    )
                )
            )
        )
    }
}

func csrfField(_ token: String) -> Node<HTML.FormContext> {
    .input(.type(.hidden), .name("_csrf"), .value(token))
}

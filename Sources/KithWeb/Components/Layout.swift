import Foundation
import KithDomain
import Plot

/// What every page's chrome needs: who is signed in and the CSRF token for its forms.
struct PageChrome: Sendable {
    var member: Member?
    var csrfToken: String
    var flash: String? = nil
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
                .link(.rel(.stylesheet), .href("/assets/kith.css")),
                .link(.rel(.icon), .href("/favicon.svg"), .type("image/svg+xml"))
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
            .a(.class("brand"), .href("/"), .text("Kith")),
            .nav(
                .ariaLabel("Main"),
                .if(
                    chrome.member != nil,
                    .group(
                        .a(.href("/"), .text("Home")),
                        .a(.href("/directory"), .text("Directory")),
                        .a(.href("/network"), .text("Network")),
                        .a(.href("/events"), .text("Events")),
                        .a(.href("/contacts"), .text("Contacts")),
                        .a(.href("/keep-in-touch"), .text("Keep in touch")),
                        .unwrap(chrome.member) { .a(.href("/in/\($0.handle)"), .text("My profile")) },
                        .if(chrome.member?.role == .admin, .a(.href("/admin/invitations"), .text("Invite"))),
                        .form(
                            .class("inline"),
                            .method(.post),
                            .action("/signout"),
                            csrfField(chrome.csrfToken),
                            .button(.type(.submit), .class("link"), .text("Sign out"))
                        )
                    ),
                    else: .group(
                        .a(.href("/signin"), .text("Sign in")),
                        .a(.class("button"), .href("/signup"), .text("Join"))
                    )
                )
            )
        )
    }
}

func csrfField(_ token: String) -> Node<HTML.FormContext> {
    .input(.type(.hidden), .name("_csrf"), .value(token))
}

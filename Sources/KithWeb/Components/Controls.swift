import Plot

/// Controls every page shares: one way to draw each.
enum Controls {
    /// A one-button form that posts to `action` (with the CSRF token and any hidden fields): how a
    /// page does anything without JavaScript.
    static func postButton(
        _ action: String,
        label: String,
        csrf: String,
        primary: Bool = false,
        hidden: [(String, String)] = []
    )
        -> Node<HTML.BodyContext>
    {
        .form(
            .class("inline"),
            .method(.post),
            .action(action),
            csrfField(csrf),
            .forEach(hidden) { .input(.type(.hidden), .name($0.0), .value($0.1)) },
            .button(.type(.submit), .class(primary ? "primary" : "quiet"), .text(label))
        )
    }

    /// One link of a sub-navigation.
    struct Tab {
        let path: String
        let label: String
        let current: Bool
    }

    /// A capability's sub-navigation: its pages as links, the one shown marked for screen readers
    /// and the eye (`aria-current`).
    static func subnav(_ name: String, _ tabs: [Tab]) -> Node<HTML.BodyContext> {
        .nav(
            .class("subnav"),
            .ariaLabel(name),
            .forEach(tabs) { tab in
                .a(.href(tab.path), .if(tab.current, .attribute(named: "aria-current", value: "page")), .text(tab.label))
            }
        )
    }
}

import Foundation
import KithDomain
import Plot

/// Every notification, newest first, with what it is about and a link.
struct NotificationsPage {
    let chrome: PageChrome
    let notifications: [MemberNotification]
    let unreadOnly: Bool

    func document() -> HTML {
        Layout.page(
            title: "Notifications",
            chrome: chrome,
            .div(
                .class("heading-row"),
                .h1("Notifications"),
                .a(.href(NotificationRoutes.Pages.settings.path), .text("Choose what reaches you"))
            ),
            Controls.subnav(
                "Notifications",
                [
                    .init(path: NotificationRoutes.Pages.centre.path, label: "All", current: !unreadOnly),
                    .init(path: NotificationRoutes.Pages.centre.path + "?unread=true", label: "Unread", current: unreadOnly),
                ]
            ),
            .if(
                notifications.contains { $0.readAt == nil },
                .p(Controls.postButton(NotificationRoutes.Pages.markAllRead.path, label: "Mark all as read", csrf: chrome.csrfToken))
            ),
            notifications.isEmpty
                ? .p(.class("empty"), .text(unreadOnly ? "Nothing unread." : "No notifications yet."))
                : .ul(
                    .class("notifications"),
                    .forEach(notifications) { notification in
                        .li(
                            .class(notification.readAt == nil ? "card unread" : "card"),
                            .p(.class("hint"), .text(notification.kind.label + " · " + ContactViews.day(notification.createdAt))),
                            .a(.href(notification.link), .strong(.text(notification.title))),
                            .if(!notification.body.isEmpty, .p(.text(notification.body))),
                            .if(
                                notification.readAt == nil,
                                Controls.postButton(
                                    NotificationRoutes.Pages.markRead.path(notification.id),
                                    label: "Mark read",
                                    csrf: chrome.csrfToken
                                )
                            )
                        )
                    }
                )
        )
    }
}

/// Per kind: email at once, in the weekly email or not at all; shown in the app or not.
struct NotificationSettingsPage {
    let chrome: PageChrome
    let settings: NotificationSettings
    var errors = FieldErrors()
    var saved = false

    func document() -> HTML {
        Layout.page(
            title: "Notification choices",
            chrome: chrome,
            .h1("Notification choices"),
            .p(.class("lede"), .text("Choose how each kind of news reaches you. The weekly email collects what you put in the digest.")),
            .if(saved, .p(.class("flash"), .attribute(named: "role", value: "status"), .text("Saved."))),
            Field.summary(errors.errors),
            .form(
                .method(.post),
                .action(NotificationRoutes.Pages.saveSettings.path),
                csrfField(chrome.csrfToken),
                .forEach(NotificationKind.allCases) { kind in
                    let delivery = settings.delivery(for: kind)
                    return .fieldset(
                        .element(named: "legend", text: kind.label),
                        kind.emailIsFixed
                            ? .p(.class("hint"), .text("Always emailed at once: it protects your account."))
                            : Field.select(
                                "\(kind.rawValue).email",
                                label: "Email",
                                options: [("immediate", "At once"), ("digest", "In the weekly email"), ("off", "Never")],
                                selected: delivery.email.rawValue,
                                errors: errors
                            ),
                        .div(
                            .class("check"),
                            .input(
                                .type(.checkbox),
                                .id("\(kind.rawValue).in_app"),
                                .name("\(kind.rawValue).in_app"),
                                .value("on"),
                                .attribute(named: "checked", value: delivery.inApp ? "checked" : nil)
                            ),
                            .label(.for("\(kind.rawValue).in_app"), .text("Show in Kith"))
                        )
                    )
                },
                .button(.type(.submit), .class("primary"), .text("Save"))
            )
        )
    }
}

/// The page an unsubscribe link opens: one button, so that a mail scanner following the link
/// changes nothing; the POST (or the mail program's one-click POST) does it.
struct UnsubscribePage {
    let chrome: PageChrome
    let token: String
    let kind: NotificationKind?
    var done = false
    var problem: String? = nil

    func document() -> HTML {
        Layout.page(
            title: "Unsubscribe",
            chrome: chrome,
            .h1("Unsubscribe"),
            .unwrap(problem) { .p(.class("error"), .id("token-error"), .text($0)) },
            .unwrap(kind) { kind in
                done
                    ? .p(
                        .text(
                            "Done: \(kind.label.lowercased()) will no longer be emailed to you. You can change this in your notification choices."
                        )
                    )
                    : .form(
                        .method(.post),
                        .action(NotificationRoutes.Pages.unsubscribe.path(token)),
                        .p(.text("Stop emails about \(kind.label.lowercased())? You will still see them in Kith.")),
                        .input(.type(.hidden), .name("List-Unsubscribe"), .value("One-Click")),
                        .button(.type(.submit), .class("primary"), .text("Unsubscribe"))
                    )
            },
            .p(.a(.href(NotificationRoutes.Pages.settings.path), .text("All notification choices")))
        )
    }
}

import Hummingbird
import KithDomain

/// The notification centre, each member's choices per kind, and one-click unsubscribe: each
/// route written once, here (see `Endpoint`).
enum NotificationRoutes {
    enum API {
        static let list = Endpoint<NoParameters>(
            .get,
            "/api/v1/notifications",
            .caller,
            "The caller's notifications of the kinds they show in the app, newest first (unread=true: only unread)",
            operation: APIOperation("listNotifications", query: [.flag("unread")], .json("Notifications", NotificationsDTO.self))
        )
        static let markAllRead = Endpoint<NoParameters>(
            .post,
            "/api/v1/notifications/read",
            .caller,
            "Mark every notification read",
            operation: APIOperation("markNotificationsRead", .empty("Done"))
        )
        static let markRead = Endpoint<OneParameter<MemberNotification.ID>>(
            .post,
            "/api/v1/notifications/:id/read",
            .owner,
            "Mark one notification read",
            operation: APIOperation("markNotificationRead", .empty("Done"), errors: [404])
        )
        static let settings = Endpoint<NoParameters>(
            .get,
            "/api/v1/me/notification-settings",
            .caller,
            "How each kind of notification reaches the caller: email immediate, in the weekly digest or off; in the app or not",
            operation: APIOperation("notificationSettings", .json("Settings", NotificationSettingsDTO.self))
        )
        static let updateSettings = Endpoint<NoParameters>(
            .put,
            "/api/v1/me/notification-settings",
            .caller,
            "Change some kinds' choices (the others stay); security email cannot be turned off",
            input: NotificationSettingsInput.self,
            operation: APIOperation("updateNotificationSettings", .json("Settings", NotificationSettingsDTO.self), errors: [400, 413, 422])
        )

        static let all: [AnyEndpoint] = [list.erased, markAllRead.erased, markRead.erased, settings.erased, updateSettings.erased]
    }

    enum Pages {
        static let centre = Endpoint<NoParameters>(.get, "/notifications", .caller, "Every notification, newest first")
        static let markAllRead = Endpoint<NoParameters>(.post, "/notifications/read", .caller, "Mark every notification read")
        static let markRead = Endpoint<OneParameter<MemberNotification.ID>>(
            .post,
            "/notifications/:id/read",
            .owner,
            "Mark one notification read and open it"
        )
        static let settings = Endpoint<NoParameters>(.get, "/me/notifications", .caller, "Notification choices")
        static let saveSettings = Endpoint<NoParameters>(.post, "/me/notifications", .caller, "Save notification choices")
        static let unsubscribeForm = Endpoint<OneParameter<String>>(
            .get,
            "/unsubscribe/:token",
            .secretAddress,
            "Confirm stopping one kind of email (the signed link is the credential; nothing changes on GET)"
        )
        static let unsubscribe = Endpoint<OneParameter<String>>(
            .post,
            "/unsubscribe/:token",
            .secretAddress,
            "Stop one kind of email, without signing in (RFC 8058 one-click)"
        )

        static let all: [AnyEndpoint] = [
            centre.erased, markAllRead.erased, markRead.erased, settings.erased, saveSettings.erased, unsubscribeForm.erased,
            unsubscribe.erased,
        ]
    }

    static let all = API.all + Pages.all
}

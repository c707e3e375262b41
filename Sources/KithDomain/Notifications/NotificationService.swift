public import Foundation

/// The notification centre (every kind, read and unread, with links), each member's choices per
/// kind, and one-click unsubscribe.
public struct NotificationService: Sendable {
    private let notifications: any NotificationRepository
    private let unsubscribeLinks: UnsubscribeLinks
    private let now: @Sendable () -> Date

    public init(notifications: any NotificationRepository, unsubscribe: UnsubscribeLinks, now: @escaping @Sendable () -> Date) {
        self.notifications = notifications
        self.unsubscribeLinks = unsubscribe
        self.now = now
    }

    /// Newest first, of the kinds the member shows in the app.
    public func notifications(of member: Member, unreadOnly: Bool = false, limit: Int = 50) async throws -> [MemberNotification] {
        let shown = try await notifications.settings(of: member.id).shownInApp
        return try await notifications.notifications(of: member.id, kinds: shown, unreadOnly: unreadOnly, limit: limit)
    }

    public func unreadCount(of member: Member) async throws -> Int {
        try await notifications.unreadCount(of: member.id, kinds: try await notifications.settings(of: member.id).shownInApp)
    }

    public func markAllRead(of member: Member) async throws {
        try await notifications.markAllRead(of: member.id, at: now())
    }

    public func markRead(_ rawID: String, of member: Member) async throws {
        guard let id = MemberNotification.ID(rawID), try await notifications.markRead(id, of: member.id, at: now()) else {
            throw DomainError.notFound("notification")
        }
    }

    public func settings(of member: Member) async throws -> NotificationSettings {
        try await notifications.settings(of: member.id)
    }

    /// Changes some kinds' choices (`{kind: {email?, in_app?}}`); the others stay.
    public func update(_ changes: [String: (email: String?, inApp: Bool?)], of member: Member) async throws -> NotificationSettings {
        let updated = try await notifications.settings(of: member.id).applying(changes)
        try await notifications.save(updated, of: member.id)
        return updated
    }

    /// What an unsubscribe link would do, for the page that asks to confirm it.
    public func unsubscribeClaim(_ token: String) async throws -> UnsubscribeLinks.Claim {
        guard let claim = try await unsubscribeLinks.verify(token) else {
            throw DomainError.invalid(field: "token", reason: "is not an unsubscribe link this community sent")
        }
        return claim
    }

    /// Turns the link's kind of email off for its member, once.
    public func unsubscribe(_ token: String) async throws -> NotificationKind {
        let claim = try await unsubscribeClaim(token)
        guard try await notifications.unsubscribe(claim, at: now()) else {
            throw DomainError.conflict(
                field: "token",
                message: "This link has already been used: \(claim.kind.label.lowercased()) are no longer emailed to you."
            )
        }
        return claim.kind
    }
}

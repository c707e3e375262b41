public import Foundation

/// A request to set a new password without the old one, proved by a link mailed to the account's
/// address: single-use, valid for 30 minutes, stored by digest.
public struct PasswordReset: Sendable, Equatable {
    public var digest: String
    public var memberID: Member.ID
    public var createdAt: Date
    public var expiresAt: Date

    public init(digest: String, memberID: Member.ID, createdAt: Date, expiresAt: Date) {
        self.digest = digest
        self.memberID = memberID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    public static let lifetime: TimeInterval = 30 * 60
}

public protocol PasswordResetRepository: Sendable {
    /// Stores the reset and queues its email in one transaction.
    func create(_ reset: PasswordReset, mail: OutgoingMail) async throws
    /// In one transaction: uses the reset (once, before it expires), stores `passwordHash` as the
    /// member's password, ends every session and token of the member and every other reset link.
    /// Nil when there is no such usable reset (nothing is changed then).
    func complete(digest: String, now: Date, passwordHash: String) async throws -> Member.ID?
}

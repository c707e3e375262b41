public import Foundation

/// A sign-up waiting for its email address to be confirmed (registration mode `confirm`). Nothing
/// of the person exists in the community until they open the link: no member, no profile, no
/// handle shown anywhere. Stored by the link's digest; the password only as its bcrypt hash.
public struct PendingRegistration: Sendable, Equatable {
    public var digest: String
    public var email: EmailAddress
    public var handle: Handle
    public var name: String
    public var passwordHash: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(
        digest: String,
        email: EmailAddress,
        handle: Handle,
        name: String,
        passwordHash: String,
        createdAt: Date,
        expiresAt: Date
    ) {
        self.digest = digest
        self.email = email
        self.handle = handle
        self.name = name
        self.passwordHash = passwordHash
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// How long a confirmation link works.
    public static let lifetime: TimeInterval = 48 * 3_600
}

/// What a sign-up through the web or the API came to.
public enum SignUpResult: Sendable, Equatable {
    /// The account exists (open registration, an invitation, or a confirmed link).
    case registered(Member)
    /// "Check your email": said alike whether the address is new or already has an account.
    case confirmationSent
}

public protocol PendingRegistrationRepository: Sendable {
    /// Stores the pending sign-up and queues its confirmation email in one transaction; pending
    /// sign-ups past their expiry are removed on the way.
    func create(_ pending: PendingRegistration, mail: OutgoingMail) async throws
    /// The pending sign-up behind a link's digest, unless it expired.
    func pending(digest: String, now: Date) async throws -> PendingRegistration?
    /// Queues an email on its own (the "you already have an account" answer).
    func queue(_ mail: OutgoingMail) async throws
}

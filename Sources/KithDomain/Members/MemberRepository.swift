public import Foundation

/// What registering a member can run into; expected outcomes are values, not errors.
public enum RegistrationOutcome: Sendable, Equatable {
    case registered
    case emailTaken
    case handleTaken
    case invitationUnusable
    /// The confirmation link was used already or has expired.
    case confirmationUnusable
}

/// What admits a sign-up, consumed in the same transaction as the member's insert.
public enum RegistrationProof: Sendable, Equatable {
    /// An invitation, by digest.
    case invitation(digest: String)
    /// A confirmed email link of a pending sign-up, by digest.
    case confirmation(digest: String)
}

/// Storage for members and their credentials.
public protocol MemberRepository: Sendable {
    /// Inserts the member with an empty profile, in one transaction. When `proof` is given it is
    /// consumed in the same transaction (an invitation marked used, a pending sign-up removed),
    /// or nothing is written.
    func insert(
        _ member: Member,
        passwordHash: String,
        consuming proof: RegistrationProof?,
        now: Date
    ) async throws -> RegistrationOutcome
    func member(id: Member.ID) async throws -> Member?
    func member(handle: Handle) async throws -> Member?
    /// Several members by handle in one read (handles not found are left out).
    func members(handles: [Handle]) async throws -> [Handle: Member]
    /// Several members by id in one read (ids not found are left out).
    func members(ids: [Member.ID]) async throws -> [Member.ID: Member]
    /// The member and their password hash, for signing in.
    func credentials(email: EmailAddress) async throws -> (member: Member, passwordHash: String)?
    func count() async throws -> Int
    func setRole(_ role: Role, of member: Member.ID) async throws -> Bool
    func setPasswordHash(_ hash: String, of member: Member.ID) async throws
}

/// A signed-in browser session, stored by digest.
public struct Session: Sendable, Equatable {
    public var member: Member
    /// The synchroniser token every form of this session must carry.
    public var csrfToken: String
    public var expiresAt: Date
    /// When the session was last used (nil before the first use was recorded).
    public var lastUsedAt: Date?

    public init(member: Member, csrfToken: String, expiresAt: Date, lastUsedAt: Date? = nil) {
        self.member = member
        self.csrfToken = csrfToken
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
    }
}

/// One way a member is signed in — a browser session or an API token — as they may see it on
/// their "sessions and tokens" page. Never the secret: `id` is a short prefix of its digest.
public struct CredentialInfo: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable, Codable { case session, token }
    public var id: String
    public var kind: Kind
    /// A token's label, or a session's browser.
    public var name: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var expiresAt: Date?
    /// The session or token this very request came with.
    public var current = false

    public init(id: String, kind: Kind, name: String, createdAt: Date, lastUsedAt: Date?, expiresAt: Date?) {
        self.id = id
        self.kind = kind
        self.name = name
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.expiresAt = expiresAt
    }
}

/// Storage for browser sessions and API tokens.
public protocol CredentialRepository: Sendable {
    func insertSession(digest: String, member: Member.ID, csrfToken: String, client: String, createdAt: Date, expiresAt: Date) async throws
    func session(digest: String, now: Date) async throws -> Session?
    func deleteSession(digest: String) async throws
    func insertToken(digest: String, member: Member.ID, name: String, createdAt: Date, expiresAt: Date?) async throws
    /// The token's member, unless it expired, and when it was last used.
    func member(tokenDigest: String, now: Date) async throws -> (member: Member, lastUsedAt: Date?)?
    /// Records a use of a session or token (by digest).
    func touch(digest: String, at: Date) async throws
    /// The member's sessions and tokens that still work.
    func credentials(of member: Member.ID, now: Date) async throws -> [CredentialInfo]
    /// Ends the session or token of `member` whose id is `id`; false when there is none.
    func revoke(id: String, of member: Member.ID) async throws -> Bool
    /// In one transaction: stores the new password hash and ends every session and token of
    /// `member` but the one with digest `keeping`, so a crash cannot leave one without the other.
    func changePassword(hash: String, of member: Member.ID, keeping: String?) async throws
    func deleteToken(digest: String) async throws -> Bool
    func tokens(of member: Member.ID) async throws -> [APITokenInfo]
}

/// What a member may know about their own tokens (never the secret).
public struct APITokenInfo: Sendable, Equatable, Codable {
    public var name: String
    public var createdAt: Date

    public init(name: String, createdAt: Date) {
        self.name = name
        self.createdAt = createdAt
    }
}

/// A one-time invitation, stored by digest.
public struct Invitation: Sendable, Equatable {
    public var digest: String
    public var email: EmailAddress?
    public var createdBy: Member.ID?
    public var createdAt: Date
    public var expiresAt: Date

    public init(digest: String, email: EmailAddress?, createdBy: Member.ID?, createdAt: Date, expiresAt: Date) {
        self.digest = digest
        self.email = email
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

public protocol InvitationRepository: Sendable {
    func insert(_ invitation: Invitation) async throws
    /// The invitation if it exists, is unused and has not expired.
    func usableInvitation(digest: String, now: Date) async throws -> Invitation?
}

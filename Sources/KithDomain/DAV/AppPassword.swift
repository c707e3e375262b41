public import Foundation

/// A password a member makes for one app (a phone's contacts, a desktop calendar): it opens the
/// member's own CardDAV and CalDAV collections and nothing else. The account password never
/// does. Shown once when made; only its digest is kept; revoking it stops it at once.
public struct AppPassword: Sendable, Equatable, Identifiable {
    public typealias ID = Identifier<AppPassword>

    public var id: ID
    public var memberID: Member.ID
    public var label: String
    public var createdAt: Date
    public var lastUsedAt: Date?

    public init(id: ID, memberID: Member.ID, label: String, createdAt: Date, lastUsedAt: Date? = nil) {
        self.id = id
        self.memberID = memberID
        self.label = label
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
    }
}

public protocol AppPasswordRepository: Sendable {
    func insert(_ password: AppPassword, digest: String) async throws
    /// The member's app passwords, newest first.
    func appPasswords(of member: Member.ID) async throws -> [AppPassword]
    /// Deletes one of the member's own app passwords; false when it is not theirs.
    func delete(_ id: AppPassword.ID, of member: Member.ID) async throws -> Bool
    /// The member an app password's digest belongs to, with the password.
    func member(digest: String) async throws -> (Member, AppPassword)?
    func touch(_ id: AppPassword.ID, at: Date) async throws
}

public struct AppPasswordService: Sendable {
    /// App passwords one member may keep.
    public static let limit = 20
    /// Uses are recorded at most this often (each record is a write; a phone syncs often).
    static let touchInterval: TimeInterval = 300

    let passwords: any AppPasswordRepository
    let now: @Sendable () -> Date

    public init(passwords: any AppPasswordRepository, now: @escaping @Sendable () -> Date = Date.init) {
        self.passwords = passwords
        self.now = now
    }

    /// Makes an app password labelled for the app it is for; its text is returned this once.
    public func create(label rawLabel: String?, for member: Member) async throws -> (AppPassword, String) {
        let label = try Text.clean(rawLabel ?? "", field: "label", max: 60, min: 1)
        guard try await passwords.appPasswords(of: member.id).count < Self.limit else {
            throw DomainError.conflict(
                field: "label",
                message: "You already have \(Self.limit) app passwords, the most allowed. Revoke one you no longer use."
            )
        }
        let secret = Self.generate()
        let password = AppPassword(id: .make(at: now()), memberID: member.id, label: label, createdAt: now())
        try await passwords.insert(password, digest: Self.digest(secret))
        return (password, secret)
    }

    /// Stores a password chosen elsewhere — the demo community's published one — so that a
    /// phone can be pointed at the demo without making one first. At least 16 characters.
    public func adopt(_ password: String, label: String, for member: Member) async throws -> AppPassword {
        guard password.filter({ $0.isLetter || $0.isNumber }).count >= 16 else {
            throw DomainError.invalid(field: "password", reason: "must have at least 16 letters and digits")
        }
        let made = AppPassword(
            id: .make(at: now()),
            memberID: member.id,
            label: try Text.clean(label, field: "label", max: 60, min: 1),
            createdAt: now()
        )
        try await passwords.insert(made, digest: Self.digest(password))
        return made
    }

    public func list(of member: Member) async throws -> [AppPassword] {
        try await passwords.appPasswords(of: member.id)
    }

    /// Revokes one of the member's own app passwords; anyone else's is "not found".
    public func revoke(_ rawID: String, of member: Member) async throws {
        guard let id = AppPassword.ID(rawID), try await passwords.delete(id, of: member.id) else {
            throw DomainError.notFound("app password")
        }
    }

    /// The member an app sign-in is for: the user name is their handle or email address, the
    /// password one of their app passwords. Anything else — the account password included — is nil.
    public func authenticate(username: String, password: String) async throws -> Member? {
        guard username.count <= 320, password.count <= 200 else { return nil }
        guard let (member, appPassword) = try await passwords.member(digest: Self.digest(password)) else { return nil }
        let name = username.trimmingCharacters(in: .whitespaces).lowercased()
        guard name == member.handle.rawValue.lowercased() || name == member.email.rawValue.lowercased() else { return nil }
        let moment = now()
        if moment.timeIntervalSince(appPassword.lastUsedAt ?? .distantPast) > Self.touchInterval {
            try await passwords.touch(appPassword.id, at: moment)
        }
        return member
    }

    /// 24 letters and digits (about 120 bits) in groups of four, easy to type on a phone:
    /// `k3xq-…`. Dashes, spaces and case do not matter when it is used.
    static func generate() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<24).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return stride(from: 0, to: 24, by: 4).map { String(characters[$0..<$0 + 4]) }.joined(separator: "-")
    }

    static func digest(_ password: String) -> String {
        SHA256Digest.hex(of: "app:" + password.lowercased().filter { $0.isLetter || $0.isNumber })
    }
}

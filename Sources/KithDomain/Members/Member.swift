public import Foundation

/// Someone with an account in the community.
public struct Member: Sendable, Equatable, Identifiable {
    public typealias ID = Identifier<Member>

    public var id: ID
    public var email: EmailAddress
    public var handle: Handle
    public var name: String
    public var role: Role
    public var createdAt: Date

    public init(id: ID, email: EmailAddress, handle: Handle, name: String, role: Role, createdAt: Date) {
        self.id = id
        self.email = email
        self.handle = handle
        self.name = name
        self.role = role
        self.createdAt = createdAt
    }

    /// Validates a display name: 1–100 characters on one line.
    public static func validName(_ raw: String, field: String = "name") throws(DomainError) -> String {
        try Text.clean(raw, field: field, max: 100, min: 1)
    }
}

/// What a member may do beyond their own data. Moderators act on reports; admins run the community.
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    case member
    case moderator
    case admin

    private var rank: Int {
        switch self {
        case .member: 0
        case .moderator: 1
        case .admin: 2
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}

/// Who may sign up: anyone at once (`open`), anyone once they open a link mailed to their
/// address (`confirm`), or only people holding an invitation (`invite`).
public enum RegistrationMode: String, Sendable, Codable, CaseIterable {
    case open
    case confirm
    case invite
}

/// A password as typed, checked against the rules. Never stored; only its bcrypt hash is.
public struct Password: Sendable {
    public let value: String
    /// At least 8 characters; at most 72 bytes, because bcrypt reads only the first 72 (longer
    /// passwords would be silently truncated).
    public static let lengths = 8...72

    public init(_ raw: String, field: String = "password") throws(DomainError) {
        guard raw.count >= Self.lengths.lowerBound else {
            throw .invalid(field: field, reason: "must be at least \(Self.lengths.lowerBound) characters")
        }
        guard raw.utf8.count <= Self.lengths.upperBound else {
            throw .invalid(field: field, reason: "must be at most \(Self.lengths.upperBound) bytes")
        }
        self.value = raw
    }
}

import Foundation

/// A member's public, URL-safe name (`/in/ada-lovelace`). Validated once, here, and always
/// lowercase, so uniqueness is case-insensitive everywhere.
public struct Handle: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    public let rawValue: String

    /// Words that would shadow pages or mislead members.
    static let reserved: Set<String> = [
        "admin", "administrator", "api", "me", "kith", "root", "support", "help", "signin", "signup",
        "signout", "directory", "settings", "moderator", "system", "null", "undefined",
    ]

    /// How long a handle may be.
    public static let lengths = 3...30

    /// A handle read back from storage, checked when it was stored.
    public init(stored: String) {
        self.rawValue = stored
    }

    public init(_ raw: String, field: String = "handle") throws(DomainError) {
        let normalized = raw.trimmingCharacters(in: .whitespaces).lowercased()
        let allowed = normalized.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
        }
        guard Self.lengths.contains(normalized.count), allowed else {
            throw .invalid(field: field, reason: "must be 3–30 characters of a–z, 0–9 and '-'")
        }
        guard normalized.first != "-", normalized.last != "-", !normalized.contains("--") else {
            throw .invalid(field: field, reason: "must not start or end with '-' or contain '--'")
        }
        guard !Self.reserved.contains(normalized) else {
            throw .invalid(field: field, reason: "is reserved; choose another")
        }
        self.rawValue = normalized
    }

    public var description: String { rawValue }

    public static func < (lhs: Handle, rhs: Handle) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        try self.init(decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

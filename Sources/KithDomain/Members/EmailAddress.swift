import Foundation

/// An email address, normalised to lowercase so that uniqueness is case-insensitive.
/// The check is deliberately practical (one '@', a dotted domain, no spaces): the only real
/// proof of an address is a message that arrives.
public struct EmailAddress: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public static let maxLength = 254

    public init(_ raw: String, field: String = "email") throws(DomainError) {
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !value.isEmpty else { throw .invalid(field: field, reason: "is required") }
        guard value.count <= Self.maxLength else { throw .invalid(field: field, reason: "must be at most \(Self.maxLength) characters") }
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        let valid =
            parts.count == 2 && !parts[0].isEmpty && parts[0].count <= 64
            && parts[1].contains(".") && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && !parts[1].contains("..")
            && !value.unicodeScalars.contains { $0.properties.isWhitespace || $0.properties.generalCategory == .control }
            && !value.contains("<") && !value.contains(">") && !value.contains(",")
        guard valid else { throw .invalid(field: field, reason: "must be an email address like name@example.org") }
        self.rawValue = value
    }

    /// An address read back from storage, checked when it was stored: reading a member on every
    /// request does not run the rules again (they showed in profiles under API load).
    public init(stored: String) {
        self.rawValue = stored
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        try self.init(decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

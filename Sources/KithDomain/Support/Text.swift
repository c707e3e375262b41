import Foundation

/// Rules for free text shared by every capability: trimmed, bounded, no control characters.
public enum Text {
    /// Trims `raw` and checks its length; returns the cleaned text.
    public static func clean(
        _ raw: String,
        field: String,
        max: Int,
        min: Int = 0,
        multiline: Bool = false
    ) throws(DomainError) -> String {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count < min {
            throw .invalid(field: field, reason: min <= 1 ? "is required" : "must be at least \(min) characters")
        }
        if trimmed.count > max {
            throw .invalid(field: field, reason: "must be at most \(max) characters")
        }
        let forbidden = trimmed.unicodeScalars.contains { scalar in
            scalar.properties.generalCategory == .control
                && !(multiline && (scalar == "\n" || scalar == "\r" || scalar == "\t"))
        }
        if forbidden {
            throw .invalid(
                field: field,
                reason: multiline ? "must not contain control characters" : "must be a single line without control characters"
            )
        }
        return trimmed
    }

    /// A case- and accent-insensitive key for matching facets ("Data Engineering" = "data engineering").
    public static func key(_ value: String) -> String {
        value.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .trimmingCharacters(in: .whitespacesAndNewlines)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

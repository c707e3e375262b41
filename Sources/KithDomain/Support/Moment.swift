public import Foundation

/// Parses the timestamps callers send: ISO-8601 with a zone (`2026-11-20T09:30:00Z`, with or
/// without fractional seconds) or a plain date (`2026-11-20`, read as midnight UTC).
public enum Moment {
    public static func parse(_ raw: String?, field: String, required: Bool = true) throws(DomainError) -> Date? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
            if required { throw .invalid(field: field, reason: "is required") }
            return nil
        }
        if let date = try? Date(raw, strategy: .iso8601) { return date }
        if let date = try? Date(raw, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        if let date = try? Date(raw, strategy: Date.ISO8601FormatStyle().year().month().day()) { return date }
        throw .invalid(field: field, reason: "must be an ISO-8601 date or time such as 2026-11-20 or 2026-11-20T09:30:00Z")
    }

    /// `2026-11-20T09:30:00Z`, the form every answer uses.
    public static func format(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}

import Foundation

/// An `application/x-www-form-urlencoded` body, keeping repeated keys (checkbox groups).
struct FormData: Sendable {
    private(set) var values: [String: [String]] = [:]

    init(_ body: String) {
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            values[key, default: []].append(value)
        }
    }

    subscript(_ key: String) -> String? { values[key]?.first }

    func all(_ key: String) -> [String] { values[key] ?? [] }

    /// The value, or "" when absent.
    func text(_ key: String) -> String { self[key] ?? "" }

    private static func decode(_ raw: Substring) -> String {
        String(raw).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
    }
}

import Foundation

/// A web address a member gives Kith (a profile's website, an event's online link), in the one
/// form Kith stores and shows: `http` or `https` only, a host, no user name or password, nothing a
/// browser or an HTML attribute would read differently from what was checked — no spaces, control
/// or format characters, quotes, angle brackets, back-slashes or back-ticks — with the scheme and
/// host in lower case. `URL(string:)` alone is not a check: on Linux it percent-encodes quotes and
/// angle brackets instead of refusing them, and the address stored would still hold them raw.
public enum WebAddress {
    public static let maxLength = 500

    /// The normalised address, or an empty string for an empty input (the field is cleared).
    public static func parse(_ raw: String, field: String, maxLength: Int = maxLength) throws(DomainError) -> String {
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if value.isEmpty { return "" }
        let rule = "must be a web address starting with https:// (no spaces or quotes)"
        guard value.utf8.count <= maxLength else {
            throw .invalid(field: field, reason: "must be at most \(maxLength) characters")
        }
        let forbidden: Set<Unicode.Scalar> = ["\"", "'", "<", ">", "\\", "`", "^", "{", "}", "|"]
        for scalar in value.unicodeScalars {
            let category = scalar.properties.generalCategory
            if forbidden.contains(scalar) || scalar.properties.isWhitespace || category == .control || category == .format
                || category == .lineSeparator || category == .paragraphSeparator || category == .privateUse
                || category == .unassigned || category == .surrogate
            {
                throw .invalid(field: field, reason: rule)
            }
        }
        guard let schemeEnd = value.range(of: "://") else { throw .invalid(field: field, reason: rule) }
        let scheme = value[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "https" || scheme == "http" else { throw .invalid(field: field, reason: rule) }
        let rest = value[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let tail = rest[authorityEnd...]
        guard !authority.contains("@") else {
            throw .invalid(field: field, reason: "must not contain a user name or password")
        }
        let host: Substring
        var port: Substring = ""
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .invalid(field: field, reason: rule) }
            host = authority[...close]
            port = authority[authority.index(after: close)...]
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            port = authority[colon...]
        } else {
            host = authority
        }
        if !port.isEmpty {
            let digits = port.dropFirst()
            guard port.first == ":", !digits.isEmpty, digits.count <= 5, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
                let number = Int(digits), (1...65535).contains(number)
            else { throw .invalid(field: field, reason: "has a port that is not a number from 1 to 65535") }
        }
        let labels = host.hasPrefix("[") ? [] : host.split(separator: ".", omittingEmptySubsequences: false)
        let validHost =
            host.hasPrefix("[")
            ? host.dropFirst().dropLast().allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
            : !host.isEmpty
                && labels.allSatisfy { label in
                    !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                        && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
                }
        guard validHost else { throw .invalid(field: field, reason: "must name a host, as in https://example.org") }
        let normalised = scheme + "://" + host.lowercased() + port + tail
        // The browser's own parser must agree that this is one absolute http(s) address.
        guard let url = URL(string: normalised), url.scheme == scheme, url.host != nil else {
            throw .invalid(field: field, reason: rule)
        }
        return normalised
    }
}

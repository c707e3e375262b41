import Foundation

/// Rules for free text shared by every capability: trimmed, bounded, no control characters.
public enum Text {
    /// Trims `raw`, normalises it (Unicode NFC; in multi-line text every CR LF and lone CR becomes
    /// LF, so no bare CR reaches a mail body) and checks it; returns the cleaned text.
    ///
    /// `max` counts characters as people see them (grapheme clusters), but one such character can
    /// hold any number of combining marks, so the text is also capped at `4 × max` Unicode scalars
    /// and `8 × max` bytes. Single-line text refuses bidirectional embedding, override and isolate
    /// controls (U+202A–202E, U+2066–2069), which can make a name read as someone else's.
    public static func clean(
        _ raw: String,
        field: String,
        max: Int,
        min: Int = 0,
        multiline: Bool = false
    ) throws(DomainError) -> String {
        var trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        // Checked before any work in proportion to the text, so an oversized input costs little.
        if trimmed.utf8.count > max * 8 || trimmed.unicodeScalars.count > max * 4 {
            throw .invalid(field: field, reason: "must be at most \(max) characters")
        }
        if multiline, trimmed.utf8.contains(13) {
            trimmed = trimmed.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        trimmed = trimmed.precomposedStringWithCanonicalMapping
        if trimmed.count < min {
            throw .invalid(field: field, reason: min <= 1 ? "is required" : "must be at least \(min) characters")
        }
        if trimmed.count > max {
            throw .invalid(field: field, reason: "must be at most \(max) characters")
        }
        let forbidden = trimmed.unicodeScalars.contains { scalar in
            scalar.properties.generalCategory == .control
                && !(multiline && (scalar == "\n" || scalar == "\t"))
        }
        if forbidden {
            throw .invalid(
                field: field,
                reason: multiline ? "must not contain control characters" : "must be a single line without control characters"
            )
        }
        if !multiline, trimmed.unicodeScalars.contains(where: isBidiControl) {
            throw .invalid(field: field, reason: "must not contain right-to-left or left-to-right override characters")
        }
        return trimmed
    }

    /// Bidirectional embedding, override and isolate controls.
    static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    /// A case- and accent-insensitive key for matching facets ("Data Engineering" = "data engineering").
    /// ASCII text (most of it) is keyed byte by byte: Foundation's folding, trimming and splitting
    /// were most of the time a word index rebuild took.
    public static func key(_ value: String) -> String {
        if let ascii = asciiKey(value) { return ascii }
        return foldedKey(value)
    }

    /// `key` by Foundation, for any text.
    static func foldedKey(_ value: String) -> String {
        value.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .trimmingCharacters(in: .whitespacesAndNewlines)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// `key` for ASCII text: lowercased, runs of whitespace as one space, none at either end; nil
    /// for any other text.
    static func asciiKey(_ value: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count)
        var pendingSpace = false
        for byte in value.utf8 {
            switch byte {
            case 0x80...: return nil
            case 0x09...0x0D, 0x20:
                pendingSpace = !bytes.isEmpty
            default:
                if pendingSpace {
                    bytes.append(0x20)
                    pendingSpace = false
                }
                bytes.append((0x41...0x5A).contains(byte) ? byte + 32 : byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

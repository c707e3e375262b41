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
        if let ascii = try cleanASCII(raw, field: field, max: max, min: min, multiline: multiline) { return ascii }
        return try cleanUnicode(raw, field: field, max: max, min: min, multiline: multiline)
    }

    /// `clean` for text that is all ASCII (nearly every input), byte by byte: the same answers and
    /// errors as the general path (a test compares them), without Foundation's trimming and
    /// normalisation, which were a few per cent of every write's CPU on Linux. Nil: not ASCII.
    static func cleanASCII(_ raw: String, field: String, max: Int, min: Int, multiline: Bool) throws(DomainError) -> String? {
        let bytes = Array(raw.utf8)
        guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
        // Foundation's whitespacesAndNewlines, within ASCII: tab, line feed, vertical tab, form feed, return, space.
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        var start = 0
        var end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        if end - start > max * 4 { throw .invalid(field: field, reason: "must be at most \(max) characters") }
        var kept: [UInt8] = []
        kept.reserveCapacity(end - start)
        // Characters: a CR LF pair is one (it only survives on a single line, where it is refused below).
        var characters = 0
        var index = start
        while index < end {
            let byte = bytes[index]
            let pair = byte == 13 && index + 1 < end && bytes[index + 1] == 10
            if multiline, byte == 13 {
                kept.append(10)
            } else {
                kept.append(byte)
                if pair { kept.append(10) }
            }
            index += pair ? 2 : 1
            characters += 1
        }
        if characters < min {
            throw .invalid(field: field, reason: min <= 1 ? "is required" : "must be at least \(min) characters")
        }
        if characters > max { throw .invalid(field: field, reason: "must be at most \(max) characters") }
        let forbidden = kept.contains { byte in
            (byte < 0x20 || byte == 0x7F) && !(multiline && (byte == 10 || byte == 9))
        }
        if forbidden {
            throw .invalid(
                field: field,
                reason: multiline ? "must not contain control characters" : "must be a single line without control characters"
            )
        }
        return String(decoding: kept, as: UTF8.self)
    }

    /// `clean` for any text: Foundation's trimming, then canonical composition (NFC).
    static func cleanUnicode(_ raw: String, field: String, max: Int, min: Int, multiline: Bool) throws(DomainError) -> String {
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

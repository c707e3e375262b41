public import Foundation

/// Reading the text of files other programs wrote, in whatever encoding they used.
public enum TextFile {
    /// The file's bytes as UTF-8, where the whole file is in a 16- or 32-bit Unicode encoding
    /// (with a byte-order mark, or UTF-16 without one, told by its zero bytes); otherwise the
    /// bytes as they are (UTF-8, or 8-bit text decoded value by value) without a UTF-8 BOM.
    public static func utf8Bytes(_ data: Data) -> [UInt8] {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            bytes.removeFirst(3)  // in place: no second copy of the file
            return bytes
        }
        if bytes.starts(with: [0xFF, 0xFE, 0, 0]) || bytes.starts(with: [0, 0, 0xFE, 0xFF]) {
            let encoding: String.Encoding = bytes[0] == 0xFF ? .utf32LittleEndian : .utf32BigEndian
            return Array((String(data: Data(bytes.dropFirst(4)), encoding: encoding) ?? "").utf8)
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let encoding: String.Encoding = bytes[0] == 0xFF ? .utf16LittleEndian : .utf16BigEndian
            return Array((String(data: Data(bytes.dropFirst(2)), encoding: encoding) ?? "").utf8)
        }
        // UTF-16 without a BOM: text in the ASCII range has a zero in every other byte.
        let sample = bytes.prefix(400)
        if sample.count >= 8 {
            let evenZeros = stride(from: 0, to: sample.count, by: 2).filter { sample[sample.startIndex + $0] == 0 }.count
            let oddZeros = stride(from: 1, to: sample.count, by: 2).filter { sample[sample.startIndex + $0] == 0 }.count
            let half = sample.count / 2
            if evenZeros > half * 3 / 4 || oddZeros > half * 3 / 4 {
                let encoding: String.Encoding = evenZeros > oddZeros ? .utf16BigEndian : .utf16LittleEndian
                if let text = String(data: Data(bytes), encoding: encoding) { return Array(text.utf8) }
            }
        }
        return bytes
    }

    /// Text from bytes in a named charset (vCard 2.1's CHARSET), else UTF-8 when they are valid
    /// UTF-8, else Windows-1252 (which gives every byte a character: never a replacement mark).
    public static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes, charset: String? = nil) -> String {
        let data = Data(bytes)
        if let charset, let encoding = encoding(named: charset), let text = String(data: data, encoding: encoding) {
            return text
        }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return String(data: data, encoding: .windowsCP1252) ?? String(decoding: bytes, as: UTF8.self)
    }

    /// A whole text file (CSV) as a string: Unicode encodings as in `utf8Bytes`, else UTF-8, else
    /// Windows-1252.
    public static func decode(_ data: Data) -> String {
        decode(utf8Bytes(data))
    }

    static func encoding(named raw: String) -> String.Encoding? {
        switch raw.uppercased().replacingOccurrences(of: "_", with: "-") {
        case "UTF-8", "UTF8": .utf8
        case "ISO-8859-1", "LATIN1", "ISO8859-1": .isoLatin1
        case "ISO-8859-2", "LATIN2": .isoLatin2
        case "WINDOWS-1252", "CP1252": .windowsCP1252
        case "WINDOWS-1250", "CP1250": .windowsCP1250
        case "WINDOWS-1251", "CP1251": .windowsCP1251
        case "SHIFT-JIS", "SJIS", "CP932", "WINDOWS-31J": .shiftJIS
        case "EUC-JP": .japaneseEUC
        case "ISO-2022-JP": .iso2022JP
        case "US-ASCII", "ASCII": .ascii
        case "UTF-16": .utf16
        default: nil
        }
    }
}

public import Foundation

/// A typed identifier: `Member.ID` and `Affiliation.ID` are different types even though both
/// wrap a UUID, so one can never be passed where the other is expected.
public struct Identifier<Owner>: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: UUID

    public init(_ rawValue: UUID) {
        self.rawValue = rawValue
    }

    public init?(_ string: String) {
        guard let uuid = UUID(hexString: string) else { return nil }
        self.rawValue = uuid
    }

    /// A new time-ordered identifier (UUIDv7), so rows inserted together sit together in indexes.
    public static func make(at date: Date) -> Identifier {
        Identifier(UUID.version7(at: date))
    }

    public var description: String { rawValue.lowercasedString }

    /// Two 64-bit words into the hasher instead of Foundation's sixteen bytes through
    /// `combine(bytes:)`: ids key every cache and graph look-up, where the byte-wise hash showed
    /// as ~8% of a suggestions request (docs/BENCHMARKS.md).
    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes(of: rawValue.uuid) { raw in
            hasher.combine(raw.loadUnaligned(as: UInt64.self))
            hasher.combine(raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
    }

    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(UUID.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension UUID {
    /// Parses the 36-character form (8-4-4-4-12 hex digits, either case) without `sscanf`, which
    /// `UUID(uuidString:)` uses on Linux and which showed in profiles of every list read (rows
    /// carry ids as text).
    public init?(hexString text: String) {
        var text = text
        let parsed: uuid_t? = text.withUTF8 { bytes -> uuid_t? in
            guard bytes.count == 36 else { return nil }
            var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var index = 0
            var produced = 0
            func nibble(_ byte: UInt8) -> UInt8? {
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): byte &- UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): byte &- UInt8(ascii: "a") &+ 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): byte &- UInt8(ascii: "A") &+ 10
                default: nil
                }
            }
            let ok = withUnsafeMutableBytes(of: &value) { out -> Bool in
                while index < 36 {
                    if index == 8 || index == 13 || index == 18 || index == 23 {
                        guard bytes[index] == UInt8(ascii: "-") else { return false }
                        index += 1
                        continue
                    }
                    guard let high = nibble(bytes[index]), let low = nibble(bytes[index + 1]) else { return false }
                    out[produced] = high << 4 | low
                    produced += 1
                    index += 2
                }
                return produced == 16
            }
            return ok ? value : nil
        }
        guard let parsed else { return nil }
        self.init(uuid: parsed)
    }

    /// Whether this id comes after `other` in the order of their text forms (the byte order).
    public func isOrdered(after other: UUID) -> Bool {
        withUnsafeBytes(of: uuid) { mine in
            withUnsafeBytes(of: other.uuid) { theirs in
                memcmp(mine.baseAddress!, theirs.baseAddress!, 16) > 0
            }
        }
    }

    /// The 36-character lower-case form, written directly (no upper-case string then a copy).
    public var lowercasedString: String {
        let digits: StaticString = "0123456789abcdef"
        return withUnsafeBytes(of: uuid) { raw in
            String(unsafeUninitializedCapacity: 36) { out in
                var position = 0
                for (index, byte) in raw.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        out[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    out[position] = digits.utf8Start[Int(byte >> 4)]
                    out[position + 1] = digits.utf8Start[Int(byte & 0x0f)]
                    position += 2
                }
                return position
            }
        }
    }

    /// RFC 9562 version 7: 48 bits of Unix milliseconds, then random bits.
    public static func version7(at date: Date) -> UUID {
        let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 {
            bytes[index] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - UInt64(index))))
        }
        for index in 6..<16 {
            bytes[index] = UInt8.random(in: 0...255, using: &generator)
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x70
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            )
        )
    }
}

public import Foundation

/// One page of a keyset-paginated list. `next` is an opaque cursor, or nil on the last page.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var next: String?

    public init(items: [Item], next: String?) {
        self.items = items
        self.next = next
    }

    public func map<T: Sendable>(_ transform: (Item) throws -> T) rethrows -> Page<T> {
        Page<T>(items: try items.map(transform), next: next)
    }
}

/// The page size a caller asked for, validated: 1 to 100, 20 when absent.
public struct PageSize: Sendable, Equatable {
    public let value: Int

    public static let `default` = PageSize(checked: 20)

    private init(checked value: Int) {
        self.value = value
    }

    public init(_ raw: String?, field: String = "limit") throws(DomainError) {
        guard let raw, !raw.isEmpty else {
            self = .default
            return
        }
        guard let value = Int(raw), (1...100).contains(value) else {
            throw .invalid(field: field, reason: "must be a whole number from 1 to 100")
        }
        self.value = value
    }

    public init(_ value: Int) throws(DomainError) {
        try self.init(String(value))
    }
}

/// Opaque keyset cursors: the sort key of the last row, base64url-encoded.
public enum Cursor {
    /// URL-safe base64 without padding. Byte by byte: lists encode a cursor per row, and
    /// Foundation's `replacingOccurrences` was 13% of an inbox request's CPU.
    public static func encode(_ parts: [String]) -> String {
        let base64 = Data(parts.joined(separator: "\u{1F}").utf8).base64EncodedData()
        var safe: [UInt8] = []
        safe.reserveCapacity(base64.count)
        for byte in base64 {
            switch byte {
            case UInt8(ascii: "+"): safe.append(UInt8(ascii: "-"))
            case UInt8(ascii: "/"): safe.append(UInt8(ascii: "_"))
            case UInt8(ascii: "="): continue
            default: safe.append(byte)
            }
        }
        return String(decoding: safe, as: UTF8.self)
    }

    public static func decode(
        _ cursor: String?,
        parts count: Int,
        numericFirst: Bool = false,
        field: String = "after"
    ) throws(DomainError) -> [String]? {
        guard let cursor, !cursor.isEmpty else { return nil }
        guard cursor.utf8.count <= 512 else { throw .invalid(field: field, reason: "is not a cursor returned by this list") }
        var base64: [UInt8] = cursor.utf8.map { byte in
            switch byte {
            case UInt8(ascii: "-"): UInt8(ascii: "+")
            case UInt8(ascii: "_"): UInt8(ascii: "/")
            default: byte
            }
        }
        while base64.count % 4 != 0 { base64.append(UInt8(ascii: "=")) }
        guard let data = Data(base64Encoded: Data(base64)), let text = String(data: data, encoding: .utf8)
        else { throw .invalid(field: field, reason: "is not a cursor returned by this list") }
        let parts = text.components(separatedBy: "\u{1F}")
        guard parts.count == count, !numericFirst || Int64(parts[0]) != nil else {
            throw .invalid(field: field, reason: "is not a cursor returned by this list")
        }
        return parts
    }
}

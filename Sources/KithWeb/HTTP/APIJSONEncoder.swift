public import Foundation
public import Hummingbird
import NIOCore

/// The API's JSON writer. It writes what Foundation's `JSONEncoder` writes when configured as
/// the API configured it (snake_case keys, keys sorted, ISO 8601 dates in whole seconds, slashes
/// not escaped), byte for byte — `APIJSONEncoderTests` holds it to that on every kind of value —
/// in a fraction of the time. Nearly every value is written straight into one buffer as it is
/// encoded (`JSONStreamEncoder`); a value encoded in a way that cannot be streamed (a nested
/// container, a container written to after its sibling) goes through a small tree of arrays (no
/// dictionaries, so no key is hashed), written once at the end. Encoding the twenty suggestions of
/// `GET /api/v1/suggestions` was a fifth of that route's CPU with Foundation's encoder, and still
/// a fifth with the tree alone (docs/BENCHMARKS.md).
public struct APIJSONEncoder: ResponseEncoder, Sendable {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        if let bytes = try JSONStreamEncoder.encode(value) { return bytes }
        let node = try JSONTreeEncoder(path: []).box(value)
        var writer = JSONBytesWriter()
        try writer.write(node)
        return writer.bytes
    }

    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        Self.response(ByteBuffer(bytes: try encode(value)))
    }

    /// A 200 answer with this JSON body.
    static func response(_ body: ByteBuffer) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.contentLength] = String(body.readableBytes)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }
}

/// One encoded value. Arrays and objects are references so that a container handed out earlier
/// can still add to them, as the `Encoder` protocol allows.
enum JSONNode {
    case null
    case bool(Bool)
    case integer(Int64)
    case unsigned(UInt64)
    /// A number already written as JSON text (floating point, `Decimal`).
    case number(String)
    case string(String)
    case array(JSONArray)
    case object(JSONObject)
    /// What a `superEncoder` was given, read when the tree is written.
    case deferred(JSONTreeEncoder)
}

final class JSONArray {
    var items: [JSONNode] = []
}

final class JSONObject {
    var members: [(key: String, value: JSONNode)] = []
}

/// A `[String: V]` dictionary: its keys are written as they are, not converted to snake_case
/// (as Foundation's encoder does).
protocol StringKeyedDictionary {
    func encodeMembers(into object: JSONObject, with encoder: JSONTreeEncoder) throws
    func streamMembers(into encoder: JSONStreamEncoder) throws
}

extension Dictionary: StringKeyedDictionary where Key == String, Value: Encodable {
    func encodeMembers(into object: JSONObject, with encoder: JSONTreeEncoder) throws {
        object.members.reserveCapacity(count)
        for (key, value) in self { object.members.append((key, try encoder.box(value, at: JSONKey(key)))) }
    }

    func streamMembers(into encoder: JSONStreamEncoder) throws {
        let frame = encoder.openObject()
        for (key, value) in self {
            try encoder.member(key, converted: false, in: frame)
            try encoder.write(value, at: .key(JSONKey(key)))
        }
    }
}

struct JSONKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

final class JSONTreeEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// What this encoder was given: set by its single-value container, or the array or object
    /// its first container made.
    var value: JSONNode?

    init(path: [any CodingKey]) { codingPath = path }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: JSONObject
        if case .object(let existing) = value {
            object = existing
        } else {
            object = JSONObject()
            value = .object(object)
        }
        return KeyedEncodingContainer(JSONObjectContainer<Key>(encoder: self, object: object))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: JSONArray
        if case .array(let existing) = value {
            array = existing
        } else {
            array = JSONArray()
            value = .array(array)
        }
        return JSONArrayContainer(encoder: self, array: array)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { JSONSingleValueContainer(encoder: self) }

    /// `value` as a node: the kinds JSON has and the ones Foundation writes its own way directly,
    /// anything else through its `encode(to:)`.
    func box<T: Encodable>(_ value: T, at key: (any CodingKey)? = nil) throws -> JSONNode {
        if let scalar = value as? any JSONScalar { return try scalar.node(at: key) }
        let path = key.map { codingPath + [$0] } ?? codingPath
        if let dictionary = value as? any StringKeyedDictionary {
            let object = JSONObject()
            try dictionary.encodeMembers(into: object, with: JSONTreeEncoder(path: path))
            return .object(object)
        }
        let encoder = JSONTreeEncoder(path: path)
        try value.encode(to: encoder)
        // A value that encoded nothing is an empty object, as with Foundation.
        return encoder.value ?? .object(JSONObject())
    }

    static func text<F: BinaryFloatingPoint & LosslessStringConvertible>(_ number: F, at key: (any CodingKey)?) throws -> String {
        guard number.isFinite else {
            throw EncodingError.invalidValue(
                number,
                .init(
                    codingPath: [],
                    debugDescription: "Unable to encode \(number) directly in JSON\(key.map { " at \($0.stringValue)" } ?? "")."
                )
            )
        }
        let text = number.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
}

/// The values written directly rather than through `encode(to:)`: JSON's own kinds, and those
/// Foundation's encoder writes its own way (dates, URLs, data, decimals). One conformance check per
/// value instead of a cast per kind.
protocol JSONScalar {
    func node(at key: (any CodingKey)?) throws -> JSONNode
}

extension String: JSONScalar { func node(at key: (any CodingKey)?) -> JSONNode { .string(self) } }
extension Bool: JSONScalar { func node(at key: (any CodingKey)?) -> JSONNode { .bool(self) } }
extension Int: JSONScalar { func node(at key: (any CodingKey)?) -> JSONNode { .integer(Int64(self)) } }
extension Int64: JSONScalar { func node(at key: (any CodingKey)?) -> JSONNode { .integer(self) } }
extension Int32: JSONScalar { func node(at key: (any CodingKey)?) -> JSONNode { .integer(Int64(self)) } }
extension Int16: JSONScalar { func node(at key: (any CodingKey)?) -> JSONNode { .integer(Int64(self)) } }
extension Int8: JSONScalar { func node(at key: (any CodingKey)?) -> JSONNode { .integer(Int64(self)) } }
extension UInt: JSONScalar { func node(at key: (any CodingKey)?) -> JSONNode { .unsigned(UInt64(self)) } }
extension UInt64: JSONScalar { func node(at key: (any CodingKey)?) -> JSONNode { .unsigned(self) } }
extension UInt32: JSONScalar { func node(at key: (any CodingKey)?) -> JSONNode { .unsigned(UInt64(self)) } }
extension UInt16: JSONScalar { func node(at key: (any CodingKey)?) -> JSONNode { .unsigned(UInt64(self)) } }
extension UInt8: JSONScalar { func node(at key: (any CodingKey)?) -> JSONNode { .unsigned(UInt64(self)) } }
extension Double: JSONScalar { func node(at key: (any CodingKey)?) throws -> JSONNode { .number(try JSONTreeEncoder.text(self, at: key)) } }
extension Float: JSONScalar { func node(at key: (any CodingKey)?) throws -> JSONNode { .number(try JSONTreeEncoder.text(self, at: key)) } }
extension Date: JSONScalar { func node(at key: (any CodingKey)?) -> JSONNode { .string(ISO8601Seconds.text(self)) } }
extension URL: JSONScalar { func node(at key: (any CodingKey)?) -> JSONNode { .string(absoluteString) } }
extension Data: JSONScalar { func node(at key: (any CodingKey)?) -> JSONNode { .string(base64EncodedString()) } }
extension Decimal: JSONScalar { func node(at key: (any CodingKey)?) -> JSONNode { .number(description) } }
extension Array: JSONScalar where Element: JSONScalar {
    func node(at key: (any CodingKey)?) throws -> JSONNode {
        let array = JSONArray()
        array.items.reserveCapacity(count)
        for element in self { array.items.append(try element.node(at: key)) }
        return .array(array)
    }
}

struct JSONObjectContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: JSONTreeEncoder
    let object: JSONObject
    var codingPath: [any CodingKey] { encoder.codingPath }

    private func add(_ key: Key, _ node: JSONNode) {
        object.members.append((SnakeCase.convert(key.stringValue), node))
    }

    mutating func encodeNil(forKey key: Key) throws { add(key, .null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { add(key, .bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { add(key, .string(value)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { add(key, .integer(Int64(value))) }
    mutating func encode(_ value: Double, forKey key: Key) throws { add(key, .number(try JSONTreeEncoder.text(value, at: key))) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { add(key, try encoder.box(value, at: key)) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { if let value { add(key, .string(value)) } }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { if let value { add(key, .integer(Int64(value))) } }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { if let value { add(key, .bool(value)) } }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type,
        forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONTreeEncoder(path: codingPath + [key])
        let container = nested.container(keyedBy: keyType)
        if let value = nested.value { add(key, value) }
        return container
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = JSONTreeEncoder(path: codingPath + [key])
        let container = nested.unkeyedContainer()
        if let value = nested.value { add(key, value) }
        return container
    }

    mutating func superEncoder() -> any Encoder { superEncoder(forKey: Key(stringValue: "super")!) }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let nested = JSONTreeEncoder(path: codingPath + [key])
        add(key, .deferred(nested))
        return nested
    }
}

struct JSONArrayContainer: UnkeyedEncodingContainer {
    let encoder: JSONTreeEncoder
    let array: JSONArray
    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { array.items.count }

    mutating func encodeNil() throws { array.items.append(.null) }
    mutating func encode(_ value: String) throws { array.items.append(.string(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        array.items.append(try encoder.box(value, at: JSONKey(intValue: count)))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONTreeEncoder(path: codingPath + [JSONKey(intValue: count)])
        let container = nested.container(keyedBy: keyType)
        if let value = nested.value { array.items.append(value) }
        return container
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = JSONTreeEncoder(path: codingPath + [JSONKey(intValue: count)])
        let container = nested.unkeyedContainer()
        if let value = nested.value { array.items.append(value) }
        return container
    }

    mutating func superEncoder() -> any Encoder {
        let nested = JSONTreeEncoder(path: codingPath + [JSONKey(intValue: count)])
        array.items.append(.deferred(nested))
        return nested
    }
}

struct JSONSingleValueContainer: SingleValueEncodingContainer {
    let encoder: JSONTreeEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws { encoder.value = .null }
    mutating func encode<T: Encodable>(_ value: T) throws { encoder.value = try encoder.box(value) }
}

/// Foundation's `convertToSnakeCase`: words split where a lowercase letter meets an uppercase one,
/// and before the last capital of a run of capitals followed by a lowercase letter; lowercased and
/// joined with "_" ("myURLValue" → "my_url_value"). Underscores and digits are kept as they are.
enum SnakeCase {
    static func convert(_ key: String) -> String {
        var bytes = key
        return bytes.withUTF8 { utf8 in
            var hasUpper = false
            for byte in utf8 {
                if byte >= 0x80 { return convert(scalars: Array(key.unicodeScalars)) }
                if byte &- 0x41 < 26 { hasUpper = true }
            }
            guard hasUpper else { return key }
            return convert(ascii: utf8)
        }
    }

    /// The same rule over ASCII bytes, without building scalars (keys are nearly always ASCII).
    private static func convert(ascii: UnsafeBufferPointer<UInt8>) -> String {
        func isUpper(_ byte: UInt8) -> Bool { byte &- 0x41 < 26 }
        let words = words(count: ascii.count, isUpper: { isUpper(ascii[$0]) }, isLower: { ascii[$0] &- 0x61 < 26 })
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ascii.count + words.count)
        for (index, word) in words.enumerated() {
            if index > 0 { bytes.append(0x5F) }
            for byte in ascii[word] { bytes.append(isUpper(byte) ? byte | 0x20 : byte) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func convert(scalars: [Unicode.Scalar]) -> String {
        guard !scalars.isEmpty else { return "" }
        let words = words(
            count: scalars.count,
            isUpper: {
                switch scalars[$0].properties.generalCategory {
                case .uppercaseLetter, .titlecaseLetter: true
                default: false
                }
            },
            isLower: { scalars[$0].properties.generalCategory == .lowercaseLetter }
        )
        var result = ""
        for (index, word) in words.enumerated() {
            if index > 0 { result += "_" }
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars[word])
            result += String(text).lowercased()
        }
        return result
    }

    /// Where the words are, by the positions of capitals and lowercase letters (count ≥ 1).
    private static func words(count end: Int, isUpper: (Int) -> Bool, isLower: (Int) -> Bool) -> [Range<Int>] {
        var words: [Range<Int>] = []
        var wordStart = 0
        var searchStart = 1
        while let upper = (searchStart..<end).first(where: isUpper) {
            words.append(wordStart..<upper)
            searchStart = upper
            guard let lower = (searchStart..<end).first(where: isLower) else {
                wordStart = searchStart
                break
            }
            if lower == upper + 1 {
                wordStart = upper
            } else {
                words.append(upper..<(lower - 1))
                wordStart = lower - 1
            }
            searchStart = lower + 1
        }
        words.append(wordStart..<end)
        return words
    }
}

/// An instant's calendar date and time of day in UTC, on the proleptic Gregorian calendar, the
/// fraction of a second dropped (rounded down, also before 1970) — integer arithmetic only, where a
/// `DateFormatter` would cost an ICU formatter per use.
struct UTCCivilTime {
    let year: Int64
    /// 1–12.
    let month: Int64
    /// 1–31.
    let day: Int64
    let secondOfDay: Int64

    init(_ date: Date) {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        // Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's civil_from_days).
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        self.day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        self.month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        self.year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.secondOfDay = secondOfDay
    }

    private static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    ]

    /// "March 2019", as `DateFormatter` writes "MMMM yyyy" in `en_US_POSIX`.
    var monthAndYear: String { "\(Self.monthNames[Int(month) - 1]) \(year)" }
}

/// An instant as `yyyy-MM-ddTHH:mm:ssZ` in UTC, the fraction of a second dropped (rounded down,
/// also before 1970), as Foundation's `.iso8601` date strategy writes it.
enum ISO8601Seconds {
    static func text(_ date: Date) -> String {
        let time = UTCCivilTime(date)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        func digits(_ value: Int64, _ width: Int) {
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                bytes.append(UInt8(0x30 + rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(time.year, 4)
        bytes.append(0x2D)
        digits(time.month, 2)
        bytes.append(0x2D)
        digits(time.day, 2)
        bytes.append(0x54)
        digits(time.secondOfDay / 3600, 2)
        bytes.append(0x3A)
        digits(time.secondOfDay / 60 % 60, 2)
        bytes.append(0x3A)
        digits(time.secondOfDay % 60, 2)
        bytes.append(0x5A)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Writes a tree of nodes as compact JSON: object members sorted by key (the last of equal keys
/// kept), strings escaped as Foundation escapes them (quote, backslash and control characters;
/// not "/").
struct JSONBytesWriter {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(4096) }

    mutating func write(_ node: JSONNode) throws {
        switch node {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .bool(let flag): bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .integer(let number):
            if number < 0 {
                bytes.append(0x2D)
                writeDigits(number.magnitude)
            } else {
                writeDigits(UInt64(number))
            }
        case .unsigned(let number): writeDigits(number)
        case .number(let text): bytes.append(contentsOf: text.utf8)
        case .string(let text): writeString(text)
        case .array(let array):
            bytes.append(0x5B)
            for (index, item) in array.items.enumerated() {
                if index > 0 { bytes.append(0x2C) }
                try write(item)
            }
            bytes.append(0x5D)
        case .object(let object):
            bytes.append(0x7B)
            var members = object.members
            if !Self.isSorted(members) { members.sort { $0.key < $1.key } }
            var first = true
            for (index, member) in members.enumerated() {
                if index + 1 < members.count && members[index + 1].key == member.key { continue }
                if !first { bytes.append(0x2C) }
                first = false
                writeString(member.key)
                bytes.append(0x3A)
                try write(member.value)
            }
            bytes.append(0x7D)
        case .deferred(let encoder):
            try write(encoder.value ?? .object(JSONObject()))
        }
    }

    private static func isSorted(_ members: [(key: String, value: JSONNode)]) -> Bool {
        var index = 1
        while index < members.count {
            if members[index].key < members[index - 1].key { return false }
            index += 1
        }
        return true
    }

    mutating func writeDigits(_ number: UInt64) {
        if number < 10 {
            bytes.append(0x30 + UInt8(number))
            return
        }
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        withUnsafeMutableBytes(of: &scratch) { buffer in
            var rest = number
            var position = buffer.count
            while rest > 0 {
                position -= 1
                buffer[position] = 0x30 + UInt8(rest % 10)
                rest /= 10
            }
            bytes.append(contentsOf: buffer[position...])
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    mutating func writeString(_ text: String) {
        bytes.append(0x22)
        var text = text
        text.withUTF8 { utf8 in
            var start = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                start = index + 1
                bytes.append(0x5C)
                switch byte {
                case 0x22: bytes.append(0x22)
                case 0x5C: bytes.append(0x5C)
                case 0x0A: bytes.append(0x6E)
                case 0x0D: bytes.append(0x72)
                case 0x09: bytes.append(0x74)
                case 0x08: bytes.append(0x62)
                case 0x0C: bytes.append(0x66)
                default:
                    bytes.append(contentsOf: [0x75, 0x30, 0x30, Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0x0F)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(0x22)
    }
}

import Foundation
import KithDomain

/// A JSON Schema as the OpenAPI document writes it.
typealias JSONSchema = [String: Any]

/// A type that states its own schema instead of having it read from its `init(from:)`: dates,
/// domain enums, collections and wrappers. `placeholder` is the value handed back to the decoding
/// type while its schema is read.
protocol SchemaDescribed {
    static func schema(_ reader: SchemaReader) -> JSONSchema
    static var placeholder: Self { get }
}

/// A type whose schema is a named component (`#/components/schemas/<schemaName>`), referred to
/// wherever it appears.
protocol NamedSchema {
    static var schemaName: String { get }
}

/// The domain's rules for a JSON body's fields that its Swift types cannot say (lengths, patterns,
/// ranges, the values a string field takes), keyed by wire name. A test checks every key is a field.
protocol FieldRules {
    static var rules: [String: FieldRule] { get }
    /// Fields the Swift type takes as optional so the domain can say "is required" in its own
    /// words, but which a valid body must carry.
    static var required: Set<String> { get }
}

extension FieldRules {
    static var required: Set<String> { [] }
}

/// One rule the domain applies to a field, as JSON Schema keywords.
struct FieldRule: @unchecked Sendable {
    let keywords: JSONSchema
    /// Whether the keywords concern an array itself rather than its items.
    var onArray = false

    init(keywords: JSONSchema, onArray: Bool = false) {
        self.keywords = keywords
        self.onArray = onArray
    }

    /// Required, single-line text of at most `max` characters.
    static func text(max: Int) -> FieldRule { FieldRule(keywords: ["minLength": 1, "maxLength": max, "pattern": "\\S"]) }
    static func maxLength(_ max: Int) -> FieldRule { FieldRule(keywords: ["maxLength": max]) }
    static func range(_ range: ClosedRange<Int>) -> FieldRule {
        FieldRule(keywords: ["minimum": range.lowerBound, "maximum": range.upperBound])
    }
    static func maxItems(_ count: Int) -> FieldRule { FieldRule(keywords: ["maxItems": count], onArray: true) }
    static func pattern(_ pattern: String) -> FieldRule { FieldRule(keywords: ["pattern": pattern]) }
    static var dateTime: FieldRule { FieldRule(keywords: ["format": "date-time"]) }
    static var email: FieldRule { FieldRule(keywords: ["format": "email", "maxLength": EmailAddress.maxLength]) }
    static var password: FieldRule {
        FieldRule(keywords: ["minLength": Password.lengths.lowerBound, "maxLength": Password.lengths.upperBound])
    }
    static var handle: FieldRule {
        FieldRule(keywords: [
            "minLength": Handle.lengths.lowerBound, "maxLength": Handle.lengths.upperBound, "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
        ])
    }
    static var timeZone: FieldRule { FieldRule(keywords: ["enum": TimeZone.knownTimeZoneIdentifiers.sorted()]) }
    /// One of a domain enum's values (for a string field, or each item of a string array).
    static func oneOf<E: CaseIterable & RawRepresentable>(_ type: E.Type, orEmpty: Bool = false) -> FieldRule where E.RawValue == String {
        FieldRule(keywords: ["enum": type.allCases.map(\.rawValue) + (orEmpty ? [""] : [])])
    }
    /// An object whose keys are a domain enum's values, each taking `value`'s values.
    static func keyed<K: CaseIterable & RawRepresentable, V: CaseIterable & RawRepresentable>(by keys: K.Type, _ value: V.Type) -> FieldRule
    where K.RawValue == String, V.RawValue == String {
        let values: JSONSchema = ["type": "string", "enum": value.allCases.map(\.rawValue)]
        return FieldRule(keywords: [
            "properties": Dictionary(uniqueKeysWithValues: keys.allCases.map { ($0.rawValue, values) }), "additionalProperties": false,
        ])
    }

    /// `schema` with this rule applied (to the items, for an array).
    func applied(to schema: JSONSchema) -> JSONSchema {
        if !onArray, schema["type"] as? String == "array", var items = schema["items"] as? JSONSchema {
            items.merge(keywords) { _, rule in rule }
            var schema = schema
            schema["items"] = items
            return schema
        }
        return schema.merging(keywords) { _, rule in rule }
    }
}

/// Reads a type's JSON Schema from its `Decodable` conformance: the keys its `init(from:)` asks
/// for are its properties, the ones it asks for with `decodeIfPresent` are optional, and each
/// key's type gives its schema. So a DTO's schema is its Swift declaration — written once — and
/// enum-typed fields carry the domain enum's values.
final class SchemaReader {
    private(set) var components: [String: JSONSchema] = [:]

    /// The schema of `type`, as a `$ref` when it is a named schema.
    func schema(of type: any Decodable.Type) -> JSONSchema {
        read(type).schema
    }

    /// The property names (on the wire) of an object type.
    static func fields(of type: any Decodable.Type) -> Set<String> {
        let schema = SchemaReader().read(type, inline: true).schema
        return Set((schema["properties"] as? JSONSchema ?? [:]).keys)
    }

    func read<T: Decodable>(_ type: T.Type, inline: Bool = false) -> (value: T?, schema: JSONSchema) {
        if let described = type as? any SchemaDescribed.Type {
            return (described.placeholder as? T, described.schema(self))
        }
        if !inline, let named = type as? any NamedSchema.Type {
            let name = named.schemaName
            if components[name] == nil {
                components[name] = [:]  // a type that contains itself refers to itself
                let (_, schema) = read(type, inline: true)
                components[name] = schema
            }
            let value = try? T(from: RecordingDecoder(reader: self))
            return (value, ["$ref": "#/components/schemas/\(name)"])
        }
        let decoder = RecordingDecoder(reader: self)
        let value = try? T(from: decoder)
        var schema = decoder.recorded.schema
        if let rules = type as? any FieldRules.Type, var properties = schema["properties"] as? JSONSchema {
            for (field, rule) in rules.rules {
                if let property = properties[field] as? JSONSchema { properties[field] = rule.applied(to: property) }
            }
            schema["properties"] = properties
            let required = (schema["required"] as? [String] ?? []) + rules.required.sorted()
            schema["required"] = Array(Set(required)).sorted()
        }
        return (value, schema)
    }
}

/// What one value's `init(from:)` asked for.
private final class Recorded {
    var single: JSONSchema?
    var properties: [(name: String, schema: JSONSchema, required: Bool)] = []

    var schema: JSONSchema {
        if let single { return single }
        var seen = Set<String>()
        let unique = properties.filter { seen.insert($0.name).inserted }
        return [
            "type": "object",
            "properties": Dictionary(uniqueKeysWithValues: unique.map { ($0.name, $0.schema) }),
            "required": unique.filter(\.required).map(\.name),
        ]
    }
}

private struct RecordingDecoder: Decoder {
    let reader: SchemaReader
    let recorded = Recorded()
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(KeyedRecorder<Key>(reader: reader, recorded: recorded))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [], debugDescription: "arrays are described by SchemaDescribed"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleRecorder(reader: reader, recorded: recorded)
    }
}

private func primitive<T>(_ type: T.Type) -> (T, JSONSchema)? {
    switch type {
    case is String.Type: return ("" as? T).map { ($0, ["type": "string"]) }
    case is Bool.Type: return (false as? T).map { ($0, ["type": "boolean"]) }
    case is Int.Type: return (0 as? T).map { ($0, ["type": "integer"]) }
    case is Int64.Type: return (Int64(0) as? T).map { ($0, ["type": "integer"]) }
    case is Double.Type: return (0.0 as? T).map { ($0, ["type": "number"]) }
    default: return nil
    }
}

private struct NotReadable: Error {}

private struct KeyedRecorder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let reader: SchemaReader
    let recorded: Recorded
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool { false }

    private func record<T: Decodable>(_ type: T.Type, _ key: Key, required: Bool) throws -> T {
        let name = JSONBody.snake(key.stringValue)
        if let (value, schema) = primitive(type) {
            recorded.properties.append((name, schema, required))
            return value
        }
        let (value, schema) = reader.read(type)
        recorded.properties.append((name, schema, required))
        guard let value else { throw NotReadable() }
        return value
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try record(type, key, required: true) }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        _ = try? record(type, key, required: false)
        return nil
    }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try record(type, key, required: true) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try record(type, key, required: true) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try record(type, key, required: true) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try record(type, key, required: true) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try record(type, key, required: true) }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try decodeIfPresent(type as Bool.Type, key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try decodeIfPresent(type as String.Type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try decodeIfPresent(type as Double.Type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try decodeIfPresent(type as Int.Type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try decodeIfPresent(type as Int64.Type, key) }

    private func decodeIfPresent<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        _ = try? record(type, key, required: false)
        return nil
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw NotReadable()
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { throw NotReadable() }
    func superDecoder() throws -> any Decoder { RecordingDecoder(reader: reader) }
    func superDecoder(forKey key: Key) throws -> any Decoder { RecordingDecoder(reader: reader) }
}

private struct SingleRecorder: SingleValueDecodingContainer {
    let reader: SchemaReader
    let recorded: Recorded
    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool { false }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if let (value, schema) = primitive(type) {
            recorded.single = schema
            return value
        }
        let (value, schema) = reader.read(type)
        recorded.single = schema
        guard let value else { throw NotReadable() }
        return value
    }
}

// MARK: - Types that state their own schema

extension Date: SchemaDescribed {
    static func schema(_ reader: SchemaReader) -> JSONSchema { ["type": "string", "format": "date-time"] }
    static var placeholder: Date { Date(timeIntervalSince1970: 0) }
}

extension Array: SchemaDescribed where Element: Decodable {
    static func schema(_ reader: SchemaReader) -> JSONSchema { ["type": "array", "items": reader.schema(of: Element.self)] }
    static var placeholder: [Element] { [] }
}

extension Dictionary: SchemaDescribed where Key == String, Value: Decodable {
    static func schema(_ reader: SchemaReader) -> JSONSchema { ["type": "object", "additionalProperties": reader.schema(of: Value.self)] }
    static var placeholder: [String: Value] { [:] }
}

/// A domain enum on the wire: its raw values, read from the enum.
protocol WireEnumeration: CaseIterable, RawRepresentable, Decodable, SchemaDescribed where RawValue == String {}

extension WireEnumeration {
    static func schema(_ reader: SchemaReader) -> JSONSchema { ["type": "string", "enum": allCases.map(\.rawValue)] }
    static var placeholder: Self { allCases.first! }
}

extension Role: WireEnumeration {}
extension CareerStage: WireEnumeration {}
extension OpenTo: WireEnumeration {}
extension Visibility: WireEnumeration {}
extension ProfileSection: WireEnumeration {}
extension AffiliationKind: WireEnumeration {}
extension ViewerRelation: WireEnumeration {}
extension RequestStatus: WireEnumeration {}
extension EventFormat: WireEnumeration {}
extension RSVPStatus: WireEnumeration {}
extension InteractionKind: WireEnumeration {}
extension HelpKind: WireEnumeration {}
extension ContactStatus: WireEnumeration {}
extension CredentialInfo.Kind: WireEnumeration {}
extension ConversationKind: WireEnumeration {}
extension NotificationKind: WireEnumeration {}
extension EmailChoice: WireEnumeration {}
extension PlanItemKind: WireEnumeration {}
extension ConversationState: WireEnumeration {}

/// Makes a schema also accept null.
func nullable(_ schema: JSONSchema) -> JSONSchema {
    var schema = schema
    if let type = schema["type"] as? String {
        schema["type"] = [type, "null"]
        if let values = schema["enum"] as? [Any] { schema["enum"] = values + [NSNull()] }
        return schema
    }
    return ["anyOf": [schema, ["type": "null"]]]
}

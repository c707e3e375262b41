import Foundation
import KithDemo
import Testing

@testable import KithDomain
@testable import KithWeb

/// The API's own JSON writer must write exactly what Foundation's encoder, configured as the API
/// configured it (`JSONCoding.encoder`), writes: clients and the OpenAPI examples saw that output.
@Suite struct APIJSONEncoderTests {
    /// Any JSON-like value, with object keys given to a keyed container (so snake_case applies)
    /// and dictionaries (whose keys are written as they are).
    indirect enum Value: Encodable {
        case null, flag(Bool), int(Int), int64(Int64), uint8(UInt8), double(Double), float(Float), text(String), date(Date)
        case optional(String?), url(URL), data(Data)
        case list([Value])
        case object([(String, Value)])
        case dictionary([String: Value])
        case nested([(String, [(String, Value)])])

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .null:
                var container = encoder.singleValueContainer()
                try container.encodeNil()
            case .flag(let value): try value.encode(to: encoder)
            case .int(let value): try value.encode(to: encoder)
            case .int64(let value): try value.encode(to: encoder)
            case .uint8(let value): try value.encode(to: encoder)
            case .double(let value):
                var container = encoder.singleValueContainer()
                try container.encode(value)
            case .float(let value):
                var container = encoder.singleValueContainer()
                try container.encode(value)
            case .text(let value):
                var container = encoder.singleValueContainer()
                try container.encode(value)
            case .date(let value):
                var container = encoder.singleValueContainer()
                try container.encode(value)
            case .optional(let value):
                var container = encoder.container(keyedBy: Key.self)
                try container.encodeIfPresent(value, forKey: Key(stringValue: "maybeThere"))
                try container.encode(1, forKey: Key(stringValue: "always"))
            case .url(let value):
                var container = encoder.singleValueContainer()
                try container.encode(value)
            case .data(let value):
                var container = encoder.singleValueContainer()
                try container.encode(value)
            case .list(let values):
                var container = encoder.unkeyedContainer()
                for value in values { try container.encode(value) }
            case .object(let members):
                var container = encoder.container(keyedBy: Key.self)
                for (key, value) in members { try container.encode(value, forKey: Key(stringValue: key)) }
            case .dictionary(let members):
                try members.encode(to: encoder)
            case .nested(let groups):
                // Containers handed out and written to after their siblings.
                var container = encoder.container(keyedBy: Key.self)
                var nested = groups.map { container.nestedContainer(keyedBy: Key.self, forKey: Key(stringValue: $0.0)) }
                for (index, group) in groups.enumerated() {
                    for (key, value) in group.1 { try nested[index].encode(value, forKey: Key(stringValue: key)) }
                }
            }
        }
    }

    struct Generator {
        var random: SplitMix64

        mutating func key() -> String {
            let parts = ["a", "b", "Z", "URL", "Id", "x1", "_", "é", "Δ", "open", "To", "ABC", "q", "9", "iCal", "ID"]
            return (0..<Int.random(in: 1...4, using: &random)).map { _ in parts.randomElement(using: &random)! }.joined()
        }

        mutating func text() -> String {
            let pieces = [
                "plain", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{8}", "\u{c}", "\u{1}", "\u{1f}", "\u{7f}", "é", "😀", "\u{2028}",
                "<script>", "&",
            ]
            return (0..<Int.random(in: 0...6, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
        }

        mutating func double() -> Double {
            switch Int.random(in: 0...5, using: &random) {
            case 0: return Double(Int.random(in: -1000...1000, using: &random))
            case 1: return Double.random(in: -1...1, using: &random)
            case 2: return Double.random(in: -1e25...1e25, using: &random)
            case 3: return Double.random(in: 0...1e-6, using: &random)
            case 4: return (Double.random(in: 0...100, using: &random) * 1000).rounded() / 1000
            default:
                return [0.1, -0.0, 1e21, 1e-7, 5e-324, .greatestFiniteMagnitude, 123_456_789_012_345_680_000].randomElement(using: &random)!
            }
        }

        mutating func value(depth: Int) -> Value {
            let leaf = depth >= 3
            switch Int.random(in: 0...(leaf ? 11 : 15), using: &random) {
            case 0: return .null
            case 1: return .flag(Bool.random(using: &random))
            case 2: return .int(Int.random(in: Int.min...Int.max, using: &random))
            case 3: return .int64(Int64.random(in: -100...100, using: &random))
            case 4: return .uint8(UInt8.random(in: 0...255, using: &random))
            case 5: return .double(double())
            case 6: return .float(Float(double() / 1e10))
            case 7: return .text(text())
            case 8: return .date(Date(timeIntervalSince1970: Double.random(in: -4e9...7e9, using: &random)))
            case 9: return .optional(Bool.random(using: &random) ? text() : nil)
            case 10: return .url(URL(string: "https://kith.example/\(Int.random(in: 0...99, using: &random))/a?b=c")!)
            case 11: return .data(Data((0..<Int.random(in: 0...9, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }))
            case 12: return .list((0..<Int.random(in: 0...4, using: &random)).map { _ in value(depth: depth + 1) })
            case 13: return .object((0..<Int.random(in: 0...5, using: &random)).map { _ in (key(), value(depth: depth + 1)) })
            case 14:
                return .dictionary(
                    Dictionary((0..<Int.random(in: 0...4, using: &random)).map { _ in (key(), value(depth: depth + 1)) }) { a, _ in a }
                )
            default:
                return .nested(
                    (0..<Int.random(in: 1...3, using: &random)).map { _ in
                        (key(), (0..<Int.random(in: 0...3, using: &random)).map { _ in (key(), value(depth: depth + 2)) })
                    }
                )
            }
        }
    }

    func same<T: Encodable>(_ value: T) throws {
        let foundation = try JSONCoding.encoder.encode(value)
        let ours = try APIJSONEncoder().encode(value)
        #expect(String(decoding: ours, as: UTF8.self) == String(decoding: foundation, as: UTF8.self))
    }

    @Test func writesWhatFoundationWritesForRandomValues() throws {
        var generator = Generator(random: SplitMix64(seed: 2026_12_04))
        for _ in 0..<3000 {
            let value = generator.value(depth: 0)
            // Foundation keeps one of two members whose keys become equal; which one is not
            // ordered by the input, so those trees are left out.
            guard let foundation = try? JSONCoding.encoder.encode(value),
                (try? JSONSerialization.jsonObject(with: foundation, options: .fragmentsAllowed)) != nil
            else { continue }
            if Self.hasCollidingKeys(value) { continue }
            try same(value)
        }
    }

    @Test func convertsKeysToSnakeCaseAsFoundationDoes() throws {
        var generator = Generator(random: SplitMix64(seed: 7))
        for _ in 0..<2000 {
            let key = generator.key()
            try same(Value.object([(key, .int(1))]))
        }
        try same(
            Value.object([("myURLValue", .int(1)), ("openTo", .int(2)), ("a1B", .int(3)), ("_under", .int(4)), ("trailing_", .int(5))])
        )
    }

    /// A member summary with every kind of field the API writes (a quote and a tag in the name).
    static func sampleSummary() throws -> MemberSummary {
        let member = Member(
            id: .make(at: Date()),
            email: try EmailAddress("dana@kith.example"),
            handle: try Handle("dana-lee"),
            name: "Dana \"D\" Lee </script>",
            role: .member,
            createdAt: Date(timeIntervalSince1970: 1_790_000_000.75)
        )
        var profile = Profile(memberID: member.id, updatedAt: Date(timeIntervalSince1970: 1_790_000_000))
        profile.headline = "Engineer / mentor"
        profile.careerStage = .midCareer
        profile.openTo = [.mentoring, .coffeeChats]
        profile.skills = ["Swift", "Graphs"]
        return MemberSummary(member: member, profile: profile, relation: .member)
    }

    @Test func theAPIsOwnValues() throws {
        let summary = try Self.sampleSummary()
        let suggestion = Suggestion(member: summary, score: 2.593, reasons: ["5 mutual connections", "Both Class of 2012 at Northfield"])
        try same(SuggestionsDTO(items: [SuggestionDTO(suggestion), SuggestionDTO(suggestion)]))
        try same(MemberSummaryDTO(summary))
        try same(HealthDTO())
        try same(Nullable<Int>(wrappedValue: nil))
        try same([Nullable<String>(wrappedValue: "x"), Nullable<String>(wrappedValue: nil)])
    }

    /// Nearly every value is written straight into the buffer; what was written that way is what
    /// Foundation writes, and what cannot be (nested containers written after their siblings) is
    /// left to the tree.
    @Test func mostValuesAreStreamedAndTheRestGoThroughTheTree() throws {
        var generator = Generator(random: SplitMix64(seed: 2026_12_05))
        var streamed = 0
        var throughTheTree = 0
        for _ in 0..<3000 {
            let value = generator.value(depth: 0)
            guard let foundation = try? JSONCoding.encoder.encode(value),
                (try? JSONSerialization.jsonObject(with: foundation, options: .fragmentsAllowed)) != nil, !Self.hasCollidingKeys(value)
            else { continue }
            if let bytes = try JSONStreamEncoder.encode(value) {
                streamed += 1
                #expect(String(decoding: bytes, as: UTF8.self) == String(decoding: foundation, as: UTF8.self))
            } else {
                throughTheTree += 1
                #expect(Self.hasNestedContainers(value))
            }
        }
        #expect(streamed > 1500)
        #expect(throughTheTree > 50)
    }

    @Test func theAPIsOwnValuesAreStreamed() throws {
        let summary = try Self.sampleSummary()
        let suggestion = Suggestion(member: summary, score: 1.5, reasons: ["Both Class of 2012 at Northfield"])
        #expect(try JSONStreamEncoder.encode(SuggestionsDTO(items: [SuggestionDTO(suggestion)])) != nil)
        #expect(try JSONStreamEncoder.encode(ListDTO(items: [MemberSummaryDTO(summary)], next: nil)) != nil)
        #expect(try JSONStreamEncoder.encode(["b": 1, "a": 2]) == Array(#"{"a":2,"b":1}"#.utf8))
    }

    /// Optionals in arrays: a nil one first makes its type remembered as not a scalar; the present
    /// ones after it (a date, a string) must still be written as Foundation writes them.
    @Test func optionalsAfterANilOneAreWrittenAsFoundationWritesThem() throws {
        let dates: [Date?] = [nil, Date(timeIntervalSince1970: 1_790_000_000), nil]
        let texts: [String?] = [nil, "a\"b", "c"]
        let urls: [[URL?]] = [[nil], [URL(string: "https://kith.example/a")]]
        try same(dates)
        try same(texts)
        try same(urls)
        #expect(try JSONStreamEncoder.encode(dates) == Array(#"[null,"2026-09-21T14:13:20Z",null]"#.utf8))
    }

    /// Two members whose keys become equal ("openTo" and "open_to"): Foundation keeps one of them,
    /// the stream refuses rather than guess, and the tree keeps the last.
    @Test func keysThatBecomeEqualAreLeftToTheTree() throws {
        let value = Value.object([("openTo", .int(1)), ("open_to", .int(2))])
        #expect(try JSONStreamEncoder.encode(value) == nil)
        #expect(String(decoding: try APIJSONEncoder().encode(value), as: UTF8.self) == #"{"open_to":2}"#)
    }

    /// A value that reads its coding path while it is encoded sees the path Foundation gives it
    /// (inside a dictionary Foundation's path starts again at the dictionary's key; ours goes on).
    @Test func theCodingPathIsFoundations() throws {
        struct Path: Encodable {
            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                try container.encode(encoder.codingPath.map { $0.intValue.map { "#\($0)" } ?? $0.stringValue }.joined(separator: "."))
            }
        }
        struct Outer: Encodable {
            var someList: [Inner]
            var inner: Inner
        }
        struct Inner: Encodable { var deepPath: Path }
        let value = Outer(someList: [Inner(deepPath: Path()), Inner(deepPath: Path())], inner: Inner(deepPath: Path()))
        let ours = String(decoding: try APIJSONEncoder().encode(value), as: UTF8.self)
        let foundation = String(decoding: try JSONCoding.encoder.encode(value), as: UTF8.self)
        #expect(ours == foundation, "ours: \(ours), Foundation's: \(foundation)")
        #expect(ours.contains("someList.#1.deepPath") && ours.contains("inner.deepPath"))
    }

    @Test func monthAndYearAreWhatDateFormatterWrites() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "MMMM yyyy"
        var generator = SystemRandomNumberGenerator()
        // Random instants from 1900 to 2100, and the edges of months and years.
        var instants = (0..<2_000).map { _ in
            Date(timeIntervalSince1970: Double.random(in: -2_208_988_800...4_102_444_800, using: &generator))
        }
        for text in [
            "2019-12-31T23:59:59Z", "2020-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2024-02-29T12:00:00Z", "2000-03-01T00:00:00Z",
        ] {
            instants.append(try! Date(text, strategy: .iso8601))
        }
        for instant in instants {
            #expect(UTCCivilTime(instant).monthAndYear == formatter.string(from: instant), "\(instant)")
        }
    }

    @Test func nonFiniteNumbersAreAnErrorAsWithFoundation() {
        #expect(throws: EncodingError.self) { try APIJSONEncoder().encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try APIJSONEncoder().encode(["x": Double.infinity]) }
        #expect(throws: EncodingError.self) { try JSONCoding.encoder.encode([Double.nan]) }
    }

    static func hasNestedContainers(_ value: Value) -> Bool {
        switch value {
        case .nested: return true
        case .list(let values): return values.contains(where: hasNestedContainers)
        case .object(let members): return members.contains { hasNestedContainers($0.1) }
        case .dictionary(let members): return members.values.contains(where: hasNestedContainers)
        default: return false
        }
    }

    static func hasCollidingKeys(_ value: Value) -> Bool {
        switch value {
        case .list(let values): return values.contains(where: hasCollidingKeys)
        case .object(let members):
            let keys = members.map { SnakeCase.convert($0.0) }
            return Set(keys).count != keys.count || members.contains { hasCollidingKeys($0.1) }
        case .dictionary(let members): return members.values.contains(where: hasCollidingKeys)
        case .nested(let groups):
            let keys = groups.map { SnakeCase.convert($0.0) }
            return Set(keys).count != keys.count
                || groups.contains { group in
                    let inner = group.1.map { SnakeCase.convert($0.0) }
                    return Set(inner).count != inner.count || group.1.contains { hasCollidingKeys($0.1) }
                }
        default: return false
        }
    }
}

/// The encoder the API used before `APIJSONEncoder`: Foundation's, configured as it was.
enum JSONCoding {
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

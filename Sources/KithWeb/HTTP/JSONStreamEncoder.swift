import Foundation
import Synchronization

/// Writes a value's JSON straight into one buffer while it is encoded — no tree of nodes — for
/// values encoded the way nearly all are: each container written to only while it is the
/// innermost one open. Object members are written in the order they come and put in key order
/// when their object closes (usually they already are, and nothing moves). A value encoded any
/// other way (a nested container, a container written to after a sibling was begun, two members
/// whose keys become equal) makes `encode` answer nil, and `APIJSONEncoder` encodes it through the
/// tree instead, so what is written never depends on which way was taken.
final class JSONStreamEncoder: Encoder {
    /// The value cannot be written this way; the tree encoder writes it.
    struct Unsupported: Error {}

    /// An open object or array.
    struct Frame {
        let id: Int
        let isObject: Bool
        /// The first byte after the container's `{` or `[`.
        let start: Int
        /// Where this object's members begin in `members`.
        let firstMember: Int
        var count = 0
    }

    /// One step of the coding path, made into a `CodingKey` only when the path is read.
    enum Step {
        case key(any CodingKey)
        case index(Int)
    }

    /// Everything the encoder changes, behind a pointer: a class's own stored properties are
    /// checked for exclusive access at run time on every change, which cost a fifth of the time.
    struct State {
        var writer = JSONBytesWriter()
        var frames: [Frame] = []
        /// The members of the open objects: each one's key and where it starts (its key's quote).
        var members: [(key: String, start: Int)] = []
        var nextFrameID = 0
        /// The value being encoded: where it starts, and how many containers were open around it.
        var valueStart = 0
        var valueDepth = 0
        var steps: [Step] = []
        /// Set when something could not be written this way even where no error could be thrown.
        var failed = false
        /// Types seen in this value that are neither scalars nor dictionaries: a few per answer,
        /// looked through instead of asking the runtime twice for each value whether they conform.
        /// Whether a value casts to a scalar depends on its type alone, except for an Optional (a
        /// present one casts through to what it wraps): an Optional type remembered here is
        /// encoded by `Optional.encode(to:)`, which hands what it wraps back to `write` under its
        /// own type, so the answer is the same either way.
        var composite: [ObjectIdentifier] = []
    }

    let state: UnsafeMutablePointer<State>

    init() {
        state = .allocate(capacity: 1)
        state.initialize(to: State())
    }

    deinit {
        state.deinitialize(count: 1)
        state.deallocate()
    }

    var codingPath: [any CodingKey] { state.pointee.steps.map(Self.codingKey) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// `value`'s JSON, or nil when it has to be written through the tree.
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8]? {
        let encoder = JSONStreamEncoder()
        do {
            try encoder.write(value, at: nil)
        } catch is Unsupported {
            return nil
        }
        return encoder.state.pointee.failed ? nil : encoder.state.pointee.writer.bytes
    }

    /// Writes one value at the end of the buffer.
    func write<T: Encodable>(_ value: T, at step: Step?) throws {
        // The commonest kinds by their type alone, without a conformance check.
        if T.self == String.self { return state.pointee.writer.writeString(Self.reinterpret(value, as: String.self)) }
        if T.self == [String].self { return writeStrings(Self.reinterpret(value, as: [String].self)) }
        if T.self == Date.self { return state.pointee.writer.writeString(ISO8601Seconds.text(Self.reinterpret(value, as: Date.self))) }
        if T.self == Int.self { return try state.pointee.writer.write(.integer(Int64(Self.reinterpret(value, as: Int.self)))) }
        if T.self == Bool.self { return try state.pointee.writer.write(.bool(Self.reinterpret(value, as: Bool.self))) }
        let type = ObjectIdentifier(T.self)
        let composite = state.pointee.composite.contains(type)
        if !composite, let scalar = value as? any JSONScalar {
            return try state.pointee.writer.write(scalar.node(at: step.map(Self.codingKey)))
        }
        let saved = (state.pointee.valueStart, state.pointee.valueDepth)
        state.pointee.valueStart = state.pointee.writer.bytes.count
        state.pointee.valueDepth = state.pointee.frames.count
        if let step { state.pointee.steps.append(step) }
        defer {
            (state.pointee.valueStart, state.pointee.valueDepth) = saved
            if step != nil { state.pointee.steps.removeLast() }
        }
        if !composite, let dictionary = value as? any StringKeyedDictionary {
            try dictionary.streamMembers(into: self)
        } else {
            if !composite { state.pointee.composite.append(type) }
            try value.encode(to: self)
        }
        if state.pointee.frames.count == state.pointee.valueDepth + 1 {
            try close()
        } else if state.pointee.frames.count != state.pointee.valueDepth {
            throw Unsupported()
        }
        // A value that encoded nothing is an empty object, as with Foundation.
        if state.pointee.writer.bytes.count == state.pointee.valueStart { state.pointee.writer.bytes.append(contentsOf: [0x7B, 0x7D]) }
    }

    private func writeStrings(_ strings: [String]) {
        state.pointee.writer.bytes.append(0x5B)
        for (index, string) in strings.enumerated() {
            if index > 0 { state.pointee.writer.bytes.append(0x2C) }
            state.pointee.writer.writeString(string)
        }
        state.pointee.writer.bytes.append(0x5D)
    }

    private static func reinterpret<T, U>(_ value: T, as type: U.Type) -> U {
        withUnsafePointer(to: value) { $0.withMemoryRebound(to: U.self, capacity: 1) { $0.pointee } }
    }

    private static func codingKey(_ step: Step) -> any CodingKey {
        switch step {
        case .key(let key): key
        case .index(let index): JSONKey(intValue: index)
        }
    }

    // MARK: Containers

    /// Opens an object for the value being written (a dictionary's).
    func openObject() -> Int { frame(object: true) }

    /// The frame a container of this value writes into: the one it opened already, or a new one.
    private func frame(object: Bool) -> Int {
        if state.pointee.frames.count == state.pointee.valueDepth + 1, let top = state.pointee.frames.last, top.isObject == object,
            top.start == state.pointee.valueStart + 1
        {
            return top.id
        }
        guard state.pointee.frames.count == state.pointee.valueDepth, state.pointee.writer.bytes.count == state.pointee.valueStart else {
            state.pointee.failed = true
            return -1
        }
        state.pointee.writer.bytes.append(object ? 0x7B : 0x5B)
        state.pointee.nextFrameID += 1
        state.pointee.frames.append(
            Frame(
                id: state.pointee.nextFrameID,
                isObject: object,
                start: state.pointee.writer.bytes.count,
                firstMember: state.pointee.members.count
            )
        )
        return state.pointee.nextFrameID
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(JSONStreamObject<Key>(encoder: self, frame: frame(object: true)))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        JSONStreamArray(encoder: self, frame: frame(object: false))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONStreamSingle(encoder: self, start: state.pointee.writer.bytes.count, depth: state.pointee.frames.count)
    }

    /// Begins a member of the innermost object: `"key":` (the key converted to snake_case unless
    /// it is a dictionary's own).
    func member(_ key: String, converted: Bool = true, in frame: Int) throws {
        guard let top = state.pointee.frames.last, top.id == frame else { throw fail() }
        if top.count > 0 { state.pointee.writer.bytes.append(0x2C) }
        state.pointee.frames[state.pointee.frames.count - 1].count += 1
        let name = converted ? SnakeCase.cached(key) : key
        state.pointee.members.append((name, state.pointee.writer.bytes.count))
        state.pointee.writer.writeString(name)
        state.pointee.writer.bytes.append(0x3A)
    }

    /// Begins an element of the innermost array; its index.
    func element(in frame: Int) throws -> Int {
        guard let top = state.pointee.frames.last, top.id == frame else { throw fail() }
        if top.count > 0 { state.pointee.writer.bytes.append(0x2C) }
        state.pointee.frames[state.pointee.frames.count - 1].count += 1
        return top.count
    }

    func count(of frame: Int) -> Int { state.pointee.frames.last(where: { $0.id == frame })?.count ?? 0 }

    func fail() -> Unsupported {
        state.pointee.failed = true
        return Unsupported()
    }

    /// Checks that a single value is written where its value began, before anything else.
    func expectSingle(start: Int, depth: Int) throws {
        guard state.pointee.writer.bytes.count == start, state.pointee.frames.count == depth else { throw fail() }
    }

    /// Closes the innermost container, putting an object's members in key order.
    func close() throws {
        let frame = state.pointee.frames.removeLast()
        if frame.isObject {
            defer { state.pointee.members.removeSubrange(frame.firstMember...) }
            let first = frame.firstMember
            var sorted = true
            var index = first + 1
            while index < state.pointee.members.count {
                if state.pointee.members[index].key == state.pointee.members[index - 1].key { throw fail() }
                if state.pointee.members[index].key < state.pointee.members[index - 1].key { sorted = false }
                index += 1
            }
            if !sorted { try reorder(from: first, start: frame.start) }
        }
        state.pointee.writer.bytes.append(frame.isObject ? 0x7D : 0x5D)
    }

    /// Rewrites an object's members (from `start` to the end of the buffer) in key order.
    private func reorder(from first: Int, start: Int) throws {
        let end = state.pointee.writer.bytes.count
        let count = state.pointee.members.count - first
        // Member i spans from its start to the comma before the next one (or the end).
        var spans: [(key: String, range: Range<Int>)] = []
        spans.reserveCapacity(count)
        for index in first..<state.pointee.members.count {
            let from = state.pointee.members[index].start
            let to = index + 1 < state.pointee.members.count ? state.pointee.members[index + 1].start - 1 : end
            spans.append((state.pointee.members[index].key, (from - start)..<(to - start)))
        }
        spans.sort { $0.key < $1.key }
        for index in 1..<spans.count where spans[index].key == spans[index - 1].key { throw fail() }
        let region = Array(state.pointee.writer.bytes[start..<end])
        state.pointee.writer.bytes.removeSubrange(start..<end)
        for (index, span) in spans.enumerated() {
            if index > 0 { state.pointee.writer.bytes.append(0x2C) }
            state.pointee.writer.bytes.append(contentsOf: region[span.range])
        }
    }
}

struct JSONStreamObject<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: JSONStreamEncoder
    let frame: Int
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil(forKey key: Key) throws {
        try encoder.member(key.stringValue, in: frame)
        encoder.state.pointee.writer.bytes.append(contentsOf: "null".utf8)
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        try encoder.member(key.stringValue, in: frame)
        try encoder.state.pointee.writer.write(.bool(value))
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        try encoder.member(key.stringValue, in: frame)
        encoder.state.pointee.writer.writeString(value)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        try encoder.member(key.stringValue, in: frame)
        try encoder.state.pointee.writer.write(.integer(Int64(value)))
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        let text = try JSONTreeEncoder.text(value, at: key)
        try encoder.member(key.stringValue, in: frame)
        encoder.state.pointee.writer.bytes.append(contentsOf: text.utf8)
    }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try encoder.member(key.stringValue, in: frame)
        try encoder.write(value, at: .key(key))
    }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type,
        forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        _ = encoder.fail()
        return KeyedEncodingContainer(JSONStreamObject<NestedKey>(encoder: encoder, frame: -1))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        _ = encoder.fail()
        return JSONStreamArray(encoder: encoder, frame: -1)
    }

    mutating func superEncoder() -> any Encoder {
        _ = encoder.fail()
        return encoder
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        _ = encoder.fail()
        return encoder
    }
}

struct JSONStreamArray: UnkeyedEncodingContainer {
    let encoder: JSONStreamEncoder
    let frame: Int
    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { encoder.count(of: frame) }

    mutating func encodeNil() throws {
        _ = try encoder.element(in: frame)
        encoder.state.pointee.writer.bytes.append(contentsOf: "null".utf8)
    }
    mutating func encode(_ value: String) throws {
        _ = try encoder.element(in: frame)
        encoder.state.pointee.writer.writeString(value)
    }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let index = try encoder.element(in: frame)
        try encoder.write(value, at: .index(index))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        _ = encoder.fail()
        return KeyedEncodingContainer(JSONStreamObject<NestedKey>(encoder: encoder, frame: -1))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        _ = encoder.fail()
        return JSONStreamArray(encoder: encoder, frame: -1)
    }

    mutating func superEncoder() -> any Encoder {
        _ = encoder.fail()
        return encoder
    }
}

struct JSONStreamSingle: SingleValueEncodingContainer {
    let encoder: JSONStreamEncoder
    let start: Int
    let depth: Int
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws {
        try encoder.expectSingle(start: start, depth: depth)
        encoder.state.pointee.writer.bytes.append(contentsOf: "null".utf8)
    }
    mutating func encode(_ value: String) throws {
        try encoder.expectSingle(start: start, depth: depth)
        encoder.state.pointee.writer.writeString(value)
    }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try encoder.expectSingle(start: start, depth: depth)
        try encoder.write(value, at: nil)
    }
}

extension SnakeCase {
    private static let converted = Mutex<[String: String]>([:])

    /// `convert(key)`, remembered: a key with no capital is its own conversion and is returned at
    /// once; the others (a few dozen names in the API's types) are converted once each.
    static func cached(_ key: String) -> String {
        var key = key
        let plain = key.withUTF8 { utf8 in
            for byte in utf8 where byte &- 0x41 < 26 || byte >= 0x80 { return false }
            return true
        }
        if plain { return key }
        if let known = converted.withLock({ $0[key] }) { return known }
        let result = convert(key)
        converted.withLock { table in
            if table.count < 4096 { table[key] = result }
        }
        return result
    }
}

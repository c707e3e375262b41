public import Foundation

/// The word index kept in a file between runs, as a search engine keeps its segments on disk:
/// an instance that starts again reads it back in seconds instead of indexing every member
/// (a million members: ~90 s on PostgreSQL). The caller decides whether a file still describes
/// its data (the `label` it wrote, checked when read) and applies what changed since.
///
/// **Layout** (little-endian): 8 bytes of magic with the format number, the payload's length
/// and a checksum of it (8 bytes each), then the payload: the label, the snapshot's `applied`,
/// its average field lengths, and each segment's arrays with its removed documents. Written to a
/// temporary file beside the target, flushed to disk and renamed over it, so a crash leaves the
/// previous file or the new one, never half of one. Reading checks the checksum and every
/// count and position against the arrays they index: a damaged or foreign file is an error
/// (`WordIndexFile.Unreadable`), never a crash or a wrong answer.
public enum WordIndexFile {
    static let magic = Array("KITHWIX".utf8) + [1]
    static let headerSize = 24

    public struct Unreadable: Error, CustomStringConvertible {
        public let description: String
    }

    /// What the file's format and the index's scoring depend on: a file written under other
    /// constants is not read (the caller adds what its documents depend on).
    public static var formatFingerprint: UInt64 {
        var hasher = Checksum()
        hasher.add(bytes: magic)
        hasher.add(Segment.k1.bitPattern)
        for field in Field.allCases {
            hasher.add(field.weight.bitPattern)
            hasher.add(field.lengthNormalisation.bitPattern)
        }
        hasher.add(UInt64(SegmentBuilder.tfBits))
        hasher.add(UInt64(Words.maxLength))
        for word in Words.split("Zoë O'Brien-Łukasiewicz, 東京 R&D: C++/Go engineer (2019) naïve") {
            hasher.add(bytes: Array(word.utf8))
            hasher.add(UInt64(0xff))
        }
        return hasher.value
    }

    /// `formatFingerprint` combined with what the caller's documents depend on (`parts`: for
    /// example probe documents built by the caller's current rules).
    public static func fingerprint(adding parts: [String]) -> UInt64 {
        var hasher = Checksum()
        hasher.add(formatFingerprint)
        for part in parts { hasher.add(bytes: Array(part.utf8)) }
        return hasher.value
    }

    /// Writes `snapshot` with `label` to `url`, replacing any file there only once all of it is
    /// on disk. The file is readable by its owner only.
    public static func write(_ snapshot: WordIndex.Snapshot, label: [UInt8], to url: URL) throws {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier)\(partialSuffix)")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw Unreadable(description: "cannot create \(temporary.path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            var writer = Writer(handle: handle)
            try writer.flushHeaderPlaceholder()
            try writer.encode(snapshot, label: label)
            try writer.finish()
            try handle.synchronize()
            try handle.close()
            guard rename(temporary.path, url.path) == 0 else {
                throw Unreadable(description: "cannot rename \(temporary.path) to \(url.path): errno \(errno)")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    static let partialSuffix = ".partial"

    /// Removes what writes to `url` that never finished left beside it: partial files of
    /// processes no longer running (killed while writing), or more than an hour old.
    public static func removeLeftovers(of url: URL) {
        let directory = url.deletingLastPathComponent()
        let prefix = ".\(url.lastPathComponent)."
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        where name.hasPrefix(prefix) && name.hasSuffix(partialSuffix) {
            let path = directory.appendingPathComponent(name)
            let writer = Int32(name.dropFirst(prefix.count).dropLast(partialSuffix.count)) ?? 0
            let gone = writer <= 0 || (kill(writer, 0) == -1 && errno == ESRCH)
            let modified = (try? FileManager.default.attributesOfItem(atPath: path.path)[.modificationDate]) as? Date
            if gone || modified.map({ Date().timeIntervalSince($0) > 3_600 }) ?? true {
                try? FileManager.default.removeItem(at: path)
            }
        }
    }

    /// The snapshot and label `url` holds. Throws `Unreadable` for a file that is not a whole,
    /// consistent word index of this format.
    public static func read(from url: URL) throws -> (snapshot: WordIndex.Snapshot, label: [UInt8]) {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw Unreadable(description: "cannot read \(url.path): \(error.localizedDescription)")
        }
        return try data.withUnsafeBytes { raw in
            guard raw.count >= headerSize, Array(raw[0..<8]) == magic else {
                throw Unreadable(description: "not a word index of this format")
            }
            let length = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            let checksum = raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
            guard length == UInt64(raw.count - headerSize) else {
                throw Unreadable(description: "truncated: \(raw.count - headerSize) of \(length) bytes")
            }
            let payload = UnsafeRawBufferPointer(rebasing: raw[headerSize...])
            guard Checksum.blocks(of: payload) == checksum else { throw Unreadable(description: "checksum mismatch") }
            var reader = Reader(bytes: payload)
            let label = try reader.label()
            let snapshot = try reader.snapshot()
            guard reader.offset == payload.count else { throw Unreadable(description: "bytes after the index") }
            return (snapshot, label)
        }
    }

    /// A 64-bit checksum over 8-byte words (any change to one word changes it), computed over
    /// blocks of `blockSize` bytes so the writer can stream.
    struct Checksum {
        static let blockSize = 1 << 20
        private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

        mutating func add(_ word: UInt64) {
            value = (value ^ word) &* 0x0000_0100_0000_01b3
            value ^= value >> 29
        }

        mutating func add(_ word: UInt32) { add(UInt64(word)) }

        mutating func add(bytes: some Collection<UInt8>) {
            add(UInt64(bytes.count))
            var word: UInt64 = 0
            var filled = 0
            for byte in bytes {
                word |= UInt64(byte) << (8 * filled)
                filled += 1
                if filled == 8 {
                    add(word)
                    word = 0
                    filled = 0
                }
            }
            if filled > 0 { add(word) }
        }

        mutating func add(block: UnsafeRawBufferPointer) {
            add(UInt64(block.count))
            let words = block.count / 8
            for index in 0..<words { add(block.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)) }
            var tail: UInt64 = 0
            for (shift, byte) in block[(words * 8)...].enumerated() { tail |= UInt64(byte) << (8 * shift) }
            add(tail)
        }

        static func blocks(of bytes: UnsafeRawBufferPointer) -> UInt64 {
            var checksum = Checksum()
            var start = 0
            while start < bytes.count {
                let end = min(start + blockSize, bytes.count)
                checksum.add(block: UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                start = end
            }
            return checksum.value
        }
    }

    /// Streams the payload to the file in blocks of `Checksum.blockSize`, checksumming each.
    private struct Writer {
        let handle: FileHandle
        var buffer: [UInt8] = []
        var checksum = Checksum()
        var length: UInt64 = 0

        init(handle: FileHandle) {
            self.handle = handle
            buffer.reserveCapacity(Checksum.blockSize)
        }

        mutating func flushHeaderPlaceholder() throws {
            try handle.write(contentsOf: [UInt8](repeating: 0, count: headerSize))
        }

        mutating func finish() throws {
            try flush()
            try handle.seek(toOffset: 0)
            var header = magic
            withUnsafeBytes(of: length.littleEndian) { header.append(contentsOf: $0) }
            withUnsafeBytes(of: checksum.value.littleEndian) { header.append(contentsOf: $0) }
            try handle.write(contentsOf: header)
        }

        private mutating func flush() throws {
            guard !buffer.isEmpty else { return }
            buffer.withUnsafeBytes { checksum.add(block: $0) }
            try handle.write(contentsOf: buffer)
            length += UInt64(buffer.count)
            buffer.removeAll(keepingCapacity: true)
        }

        private mutating func append(_ bytes: UnsafeRawBufferPointer) throws {
            var rest = bytes
            while !rest.isEmpty {
                let room = Checksum.blockSize - buffer.count
                let part = UnsafeRawBufferPointer(rebasing: rest.prefix(room))
                buffer.append(contentsOf: part)
                rest = UnsafeRawBufferPointer(rebasing: rest.dropFirst(part.count))
                if buffer.count == Checksum.blockSize { try flush() }
            }
        }

        mutating func integer<T: FixedWidthInteger>(_ value: T) throws {
            try withUnsafeBytes(of: value.littleEndian) { try append($0) }
        }

        mutating func array<T: BitwiseCopyable>(_ values: [T]) throws {
            try integer(UInt64(values.count))
            try values.withUnsafeBytes { try append($0) }
        }

        mutating func string(_ value: String) throws {
            var value = value
            try value.withUTF8 { utf8 in
                try integer(UInt32(utf8.count))
                try append(UnsafeRawBufferPointer(utf8))
            }
        }

        mutating func strings(_ values: [String]) throws {
            try integer(UInt64(values.count))
            for value in values { try string(value) }
        }

        mutating func encode(_ snapshot: WordIndex.Snapshot, label: [UInt8]) throws {
            try array(label)
            try integer(snapshot.applied ?? -1)
            try array(snapshot.lengths.averages)
            try integer(UInt64(snapshot.segments.count))
            for (segment, removed) in zip(snapshot.segments, snapshot.removed) {
                try integer(Int64(segment.serial))
                try array(segment.ids.map(\.uuid))
                try array(segment.keys)
                try integer(UInt64(segment.locations.count))
                for location in segment.locations {
                    try integer(UInt8(location == nil ? 0 : 1))
                    if let location { try string(location) }
                }
                try strings(segment.sortKeys)
                try strings(segment.terms)
                try array(segment.starts)
                try array(segment.documents)
                try array(segment.weights)
                try integer(UInt64(segment.facets.count))
                for (token, documents) in segment.facets.sorted(by: { $0.key < $1.key }) {
                    try string(token)
                    try array(documents)
                }
                try array(segment.fieldWords)
                try array(removed.sorted())
            }
        }
    }

    /// Reads the payload, checking every count against the bytes left and every number against
    /// what it indexes.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        init(bytes: UnsafeRawBufferPointer) {
            self.bytes = bytes
        }

        mutating func integer<T: FixedWidthInteger>(_: T.Type = T.self) throws -> T {
            let size = MemoryLayout<T>.size
            guard bytes.count - offset >= size else { throw Unreadable(description: "ends early at byte \(offset)") }
            defer { offset += size }
            return T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        }

        mutating func count(of size: Int) throws -> Int {
            let count = try integer(UInt64.self)
            guard count <= UInt64((bytes.count - offset) / max(size, 1)) else {
                throw Unreadable(description: "a count of \(count) at byte \(offset) runs past the end")
            }
            return Int(count)
        }

        mutating func array<T: BitwiseCopyable>(_: T.Type = T.self) throws -> [T] {
            let count = try count(of: MemoryLayout<T>.stride)
            let size = count * MemoryLayout<T>.stride
            let start = offset
            offset += size
            return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[start..<(start + size)]))
                initialized = count
            }
        }

        mutating func label() throws -> [UInt8] { try array(UInt8.self) }

        mutating func string() throws -> String {
            let length = Int(try integer(UInt32.self))
            guard bytes.count - offset >= length else { throw Unreadable(description: "a text at byte \(offset) runs past the end") }
            defer { offset += length }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)]), as: UTF8.self)
        }

        mutating func strings() throws -> [String] {
            let count = try count(of: 4)
            var values: [String] = []
            values.reserveCapacity(count)
            for _ in 0..<count { values.append(try string()) }
            return values
        }

        mutating func snapshot() throws -> WordIndex.Snapshot {
            var snapshot = WordIndex.Snapshot()
            let applied = try integer(Int64.self)
            snapshot.applied = applied < 0 ? nil : applied
            let averages = try array(Float.self)
            guard averages.count == Field.allCases.count, averages.allSatisfy({ $0.isFinite && $0 > 0 }) else {
                throw Unreadable(description: "average field lengths")
            }
            snapshot.lengths = FieldLengths(averages: averages)
            let segments = try count(of: 8)
            var serials = Set<Int>()
            for _ in 0..<segments {
                let (segment, removed) = try self.segment()
                guard serials.insert(segment.serial).inserted else { throw Unreadable(description: "segment \(segment.serial) twice") }
                snapshot.segments.append(segment)
                snapshot.removed.append(removed)
            }
            return snapshot
        }

        mutating func segment() throws -> (Segment, Set<UInt32>) {
            let serial = try integer(Int64.self)
            let ids = try array(uuid_t.self).map(UUID.init(uuid:))
            let keys = try array(Int64.self)
            let locationCount = try count(of: 1)
            var locations: [String?] = []
            locations.reserveCapacity(locationCount)
            for _ in 0..<locationCount {
                switch try integer(UInt8.self) {
                case 0: locations.append(nil)
                case 1: locations.append(try string())
                default: throw Unreadable(description: "a location's marker at byte \(offset)")
                }
            }
            let sortKeys = try strings()
            let terms = try strings()
            let starts = try array(Int32.self)
            let documents = try array(UInt32.self)
            let weights = try array(Float.self)
            let facetCount = try count(of: 12)
            var facets: [String: [UInt32]] = [:]
            facets.reserveCapacity(facetCount)
            for _ in 0..<facetCount { facets[try string()] = try array(UInt32.self) }
            let fieldWords = try array(Double.self)
            let removed = try array(UInt32.self)

            let count = ids.count
            func check(_ condition: Bool, _ what: String) throws {
                guard condition else { throw Unreadable(description: "segment \(serial): \(what)") }
            }
            try check(serial >= 0 && serial < Int64(Int32.max), "serial")
            try check(count < Int(UInt32.max), "document count")
            try check(keys.count == count && locations.count == count && sortKeys.count == count, "per-document arrays")
            try check(starts.count == terms.count + 1 && starts.first == 0, "term starts")
            try check(zip(starts, starts.dropFirst()).allSatisfy { $0 <= $1 }, "term starts in order")
            try check(Int(starts.last ?? 0) == documents.count && weights.count == documents.count, "postings")
            try check(zip(terms, terms.dropFirst()).allSatisfy { $0 < $1 }, "terms in order")
            try check(documents.allSatisfy { Int($0) < count }, "posting documents")
            try check(weights.allSatisfy(\.isFinite), "posting weights")
            try check(facets.values.allSatisfy { $0.allSatisfy { Int($0) < count } }, "facet documents")
            try check(fieldWords.count == Field.allCases.count, "field lengths")
            try check(removed.allSatisfy { Int($0) < count }, "removed documents")
            let segment = Segment(
                serial: Int(serial),
                ids: ids,
                keys: keys,
                locations: locations,
                sortKeys: sortKeys,
                terms: terms,
                starts: starts,
                documents: documents,
                weights: weights,
                facets: facets,
                fieldWords: fieldWords
            )
            return (segment, Set(removed))
        }
    }
}

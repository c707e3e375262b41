import Foundation

/// An `application/x-www-form-urlencoded` body, keeping repeated keys (checkbox groups).
struct FormData: Sendable {
    private(set) var values: [String: [String]] = [:]
    /// Each multipart part's bytes as sent (an uploaded file's own encoding intact).
    private(set) var parts: [String: [Data]] = [:]

    init(_ body: String) {
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            values[key, default: []].append(value)
        }
    }

    init(values: [String: [String]]) {
        self.values = values
    }

    /// A multipart/form-data body (RFC 7578): each part's name and its content as UTF-8 text
    /// (uploads here are text files: vCards and CSV). Nil when the body is not well formed.
    init?(multipart body: Data, contentType: String) {
        guard let boundaryRange = contentType.range(of: "boundary=") else { return nil }
        var boundary = String(contentType[boundaryRange.upperBound...])
        if let semicolon = boundary.firstIndex(of: ";") { boundary = String(boundary[..<semicolon]) }
        boundary = boundary.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        guard !boundary.isEmpty else { return nil }
        let delimiter = Data("--\(boundary)".utf8)
        var parts: [Data] = []
        var searchStart = body.startIndex
        var partStart: Data.Index?
        while let range = body.range(of: delimiter, in: searchStart..<body.endIndex) {
            if let start = partStart { parts.append(body[start..<range.lowerBound]) }
            partStart = range.upperBound
            searchStart = range.upperBound
        }
        guard !parts.isEmpty || partStart != nil else { return nil }
        let separator = Data("\r\n\r\n".utf8)
        for var part in parts {
            if part.starts(with: Data("\r\n".utf8)) { part = part.dropFirst(2) }
            if part.suffix(2) == Data("\r\n".utf8) { part = part.dropLast(2) }
            guard let split = part.range(of: separator) else { continue }
            let headers = String(decoding: part[part.startIndex..<split.lowerBound], as: UTF8.self)
            let content = part[split.upperBound...]
            guard let nameRange = headers.range(of: "name=\"") else { continue }
            let name = headers[nameRange.upperBound...].prefix { $0 != "\"" }
            values[String(name), default: []].append(String(decoding: content, as: UTF8.self))
            self.parts[String(name), default: []].append(Data(content))
        }
    }

    subscript(_ key: String) -> String? { values[key]?.first }

    /// A multipart part's bytes.
    func bytes(_ key: String) -> Data? { parts[key]?.first }

    func all(_ key: String) -> [String] { values[key] ?? [] }

    /// The value, or "" when absent.
    func text(_ key: String) -> String { self[key] ?? "" }

    private static func decode(_ raw: Substring) -> String {
        String(raw).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
    }
}

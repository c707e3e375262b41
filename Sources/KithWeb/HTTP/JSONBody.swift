import Foundation
import Hummingbird
import KithDomain

/// A JSON request body type that names the fields it accepts, so unknown fields are rejected
/// with a clear message instead of being silently ignored.
protocol APIInput: Decodable, Sendable {
    static var fields: Set<String> { get }
}

/// Why a body could not be read: a 400 (not JSON at all) as opposed to a 422 (JSON that breaks a rule).
struct MalformedBody: Error {
    let detail: String
}

enum JSONBody {
    static func decode<T: APIInput>(_ type: T.Type, from request: Request, context: AppRequestContext) async throws -> T {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        let data = Data(buffer.readableBytesView)
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            throw MalformedBody(detail: "The request body is not valid JSON.")
        }
        guard let dictionary = object as? [String: Any] else {
            throw MalformedBody(detail: "The request body must be a JSON object.")
        }
        let unknown = Set(dictionary.keys).subtracting(T.fields).sorted()
        if !unknown.isEmpty {
            throw DomainError.invalid(unknown.map { FieldError(field: $0, message: "is not a known field") })
        }
        do {
            return try context.requestDecoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw DomainError.invalid([Self.fieldError(error)])
        }
    }

    /// Turns a decoding failure into the field it concerns and the rule it broke.
    static func fieldError(_ error: DecodingError) -> FieldError {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let keys = (codingPath + (last.map { [$0] } ?? [])).map { key in
                key.intValue.map { "[\($0)]" } ?? snake(key.stringValue)
            }
            return keys.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .typeMismatch(let type, let context):
            return FieldError(field: path(context.codingPath), message: "must be \(describe(type))")
        case .valueNotFound(let type, let context):
            return FieldError(field: path(context.codingPath), message: "must be \(describe(type)), not null")
        case .keyNotFound(let key, let context):
            return FieldError(field: path(context.codingPath, key), message: "is required")
        case .dataCorrupted(let context):
            return FieldError(field: path(context.codingPath), message: "is not valid")
        @unknown default:
            return FieldError(field: "body", message: "is not valid")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("Array") { return "an array" }
        if name.hasPrefix("Dictionary") { return "an object" }
        switch name {
        case "String": return "a string"
        case "Int", "Int64", "Double": return "a number"
        case "Bool": return "true or false"
        default: return "a valid value"
        }
    }

    static func snake(_ camel: String) -> String {
        var result = ""
        for character in camel {
            if character.isUppercase {
                result += "_" + character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }
}

import Foundation
import Hummingbird
import KithDomain
import Synchronization

/// A JSON request body type. The fields it accepts are read from its own `Decodable`
/// declaration (`SchemaReader`), so unknown fields are rejected with a clear message instead of
/// being silently ignored, and the OpenAPI document describes exactly these fields.
protocol APIInput: Decodable, Sendable {}

extension APIInput {
    /// The wire names of the fields this type takes.
    static var fields: Set<String> { InputFields.of(Self.self) }
}

/// Each body type's fields, read once.
private enum InputFields {
    private static let known = Mutex<[ObjectIdentifier: Set<String>]>([:])

    static func of(_ type: any APIInput.Type) -> Set<String> {
        if let fields = known.withLock({ $0[ObjectIdentifier(type)] }) { return fields }
        let fields = SchemaReader.fields(of: type)
        known.withLock { $0[ObjectIdentifier(type)] = fields }
        return fields
    }
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

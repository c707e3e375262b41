/// One problem with one input field: which field, and the rule it broke.
public struct FieldError: Sendable, Equatable, Codable {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// Every failure a use case can report. Web and CLI map these to statuses and messages in one
/// place each; the domain never knows about HTTP.
public enum DomainError: Error, Sendable, Equatable {
    /// Input broke one or more rules; each names the field and the rule.
    case invalid([FieldError])
    /// The thing does not exist — or the caller may not know that it exists.
    case notFound(String)
    /// The request clashes with what is stored (a taken handle, an existing request).
    case conflict(field: String?, message: String)
    /// The caller is known but not allowed.
    case forbidden(String)
    /// The caller is not signed in, or the credentials are wrong.
    case unauthorized(String)
    /// Too many attempts; try again after the given number of seconds.
    case rateLimited(retryAfterSeconds: Int)

    public static func invalid(field: String, reason: String) -> DomainError {
        .invalid([FieldError(field: field, message: reason)])
    }

    /// A short human message, safe to show to the caller.
    public var message: String {
        switch self {
        case .invalid(let errors):
            errors.map { "\($0.field): \($0.message)" }.joined(separator: " ")
        case .notFound(let what): "\(what.prefix(1).uppercased() + what.dropFirst()) not found."
        case .conflict(_, let message): message
        case .forbidden(let why): why
        case .unauthorized(let why): why
        case .rateLimited(let seconds): "Too many attempts. Try again in \(seconds) seconds."
        }
    }
}

/// Collects every broken rule of one input before failing, so a form can show all of them at once.
public struct Validation: Sendable {
    public private(set) var errors: [FieldError] = []

    public init() {}

    public mutating func fail(_ field: String, _ message: String) {
        errors.append(FieldError(field: field, message: message))
    }

    /// Runs `body`, recording a `DomainError.invalid` instead of throwing it.
    public mutating func capture<T>(_ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch let DomainError.invalid(found) {
            errors.append(contentsOf: found)
            return nil
        } catch {
            errors.append(FieldError(field: "input", message: "is not valid"))
            return nil
        }
    }

    public func throwIfFailed() throws(DomainError) {
        if !errors.isEmpty { throw DomainError.invalid(errors) }
    }
}

/// One of an enumeration's raw values, or an error naming the field and every allowed value.
public enum Choice {
    public static func parse<E: CaseIterable & RawRepresentable>(
        _ raw: String?,
        field: String,
        as: E.Type = E.self
    )
        throws(DomainError) -> E where E.RawValue == String
    {
        guard let value = raw.flatMap(E.init(rawValue:)) else {
            throw .invalid(field: field, reason: "must be one of: \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}

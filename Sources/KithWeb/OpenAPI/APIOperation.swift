import Foundation
import Hummingbird
import KithDomain

/// A JSON body an API route answers with. Its schema is read from its `Decodable` conformance
/// (`SchemaReader`), so the document describes exactly what the type encodes.
protocol APIOutput: ResponseEncodable, Decodable, RepliesWith {}

/// How an API route appears in the OpenAPI document, beside the rest of its route-table entry:
/// its operation id, query parameters, answers and the problems it may answer with. The path,
/// summary, request body type and whether it needs a credential come from the `Endpoint` itself.
struct APIOperation: Sendable {
    let id: String
    let query: [QueryParameter]
    let replies: [Reply]
    let errors: [Int]
    /// A file upload instead of a JSON body: the media types it takes.
    let upload: [String]

    init(_ id: String, query: [QueryParameter] = [], _ replies: Reply..., errors: [Int] = [], upload: [String] = []) {
        self.id = id
        self.query = query
        self.replies = replies
        self.errors = errors
        self.upload = upload
    }

    /// Whether a handler returning `output` answers as this operation says: one of its JSON
    /// types, or no body when it has none. A handler that builds its own `Response` (several
    /// types, or text) is not checked. The router asks this when it registers the route, so a
    /// handler and its route table cannot disagree.
    func admits(_ output: Any.Type) -> Bool {
        guard let replied = output as? any RepliesWith.Type else { return true }
        let declared = jsonTypes.map { ObjectIdentifier($0) }
        guard let actual = replied.repliedType else { return declared.isEmpty }
        return declared.contains(ObjectIdentifier(actual))
    }

    /// The JSON types the route may answer with (the router checks the handler returns one).
    var jsonTypes: [any APIOutput.Type] {
        replies.flatMap { $0.content.compactMap { if case .json(let type) = $0 { type } else { nil } } }
    }
}

/// One answer an operation gives.
struct Reply: Sendable {
    enum Content: Sendable {
        case json(any APIOutput.Type)
        /// A JSON object the document does not describe further (the document itself).
        case anyObject
        case text(mediaType: String)
    }

    let status: Int
    let description: String
    let content: [Content]

    static func json(_ status: Int, _ description: String, _ type: any APIOutput.Type) -> Reply {
        Reply(status: status, description: description, content: [.json(type)])
    }

    /// 200 with `type`.
    static func json(_ description: String, _ type: any APIOutput.Type) -> Reply { json(200, description, type) }

    static func empty(_ status: Int, _ description: String) -> Reply {
        Reply(status: status, description: description, content: [])
    }

    /// 204, no content.
    static func empty(_ description: String) -> Reply { empty(204, description) }

    static func text(_ mediaType: String, _ description: String) -> Reply {
        Reply(status: 200, description: description, content: [.text(mediaType: mediaType)])
    }
}

/// A query-string parameter an API route reads.
struct QueryParameter: Sendable {
    enum Kind: Sendable {
        case text
        case oneOf([String])
        case range(ClosedRange<Int>)
    }

    let name: String
    let kind: Kind

    static func text(_ name: String) -> QueryParameter { QueryParameter(name: name, kind: .text) }
    static func oneOf<E: CaseIterable & RawRepresentable>(_ name: String, _ type: E.Type) -> QueryParameter where E.RawValue == String {
        QueryParameter(name: name, kind: .oneOf(type.allCases.map(\.rawValue)))
    }
    /// One of values that belong to the API alone (not to a domain enum).
    static func values(_ name: String, _ values: [String]) -> QueryParameter { QueryParameter(name: name, kind: .oneOf(values)) }
    static func flag(_ name: String) -> QueryParameter { QueryParameter(name: name, kind: .oneOf(["true", "false"])) }
    /// `?limit=` for a keyset-paginated list, with `?after=` for the next page.
    static var page: [QueryParameter] { [.text("after"), .limit] }
    static var limit: QueryParameter { QueryParameter(name: "limit", kind: .range(1...100)) }
}

/// Something a handler returns, and the JSON type it answers with, if any: the router checks it
/// against the route table's `APIOperation` when the route is registered.
protocol RepliesWith {
    static var repliedType: (any APIOutput.Type)? { get }
}

extension APIOutput {
    static var repliedType: (any APIOutput.Type)? { Self.self }
}

extension EditedResponse: RepliesWith where Generator: APIOutput {
    static var repliedType: (any APIOutput.Type)? { Generator.self }
}

extension HTTPResponse.Status: RepliesWith {
    static var repliedType: (any APIOutput.Type)? { nil }
}

import Foundation
import Hummingbird
import KithDomain

/// The OpenAPI 3.1 description of the JSON API, served at /api/openapi.json, built from the route
/// tables: each API route's `Endpoint` gives its path, method, summary, whether it needs a
/// credential and its request body type; its `APIOperation` gives the operation id, query
/// parameters, answers and problems. Schemas are read from the body and answer types
/// (`SchemaReader`), so nothing about a route is written twice.
enum OpenAPIDocument {
    typealias JSON = [String: Any]

    static func json(serverURL: String) -> String {
        let reader = SchemaReader()
        let problem = reader.schema(of: Problem.self)
        var paths: JSON = [:]
        for endpoint in RouteCatalog.all {
            guard let operation = endpoint.operation else { continue }
            let path = endpoint.template.replacing(/:([a-z_]+)/) { "{" + $0.output.1 + "}" }
            var operations = paths[path] as? JSON ?? [:]
            operations[endpoint.method.rawValue.lowercased()] = describe(endpoint, operation, reader: reader, problem: problem)
            paths[path] = operations
        }
        let document: JSON = [
            "openapi": "3.1.0",
            "info": [
                "title": "Kith API", "version": "1.0.0",
                "description": "Kith's JSON API. Errors are RFC 9457 problem details; lists are keyset-paginated.",
            ],
            "servers": [["url": serverURL]],
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
                "schemas": reader.components,
            ],
            "security": [["bearer": [String]()]],
            "paths": paths,
        ]
        let data = try! JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    private static func describe(_ endpoint: AnyEndpoint, _ operation: APIOperation, reader: SchemaReader, problem: JSON) -> JSON {
        let open = endpoint.access == .everyone || endpoint.access == .secretAddress
        var described: JSON = ["operationId": operation.id, "summary": endpoint.summary]
        if open { described["security"] = [JSON]() }

        let pathParameters: [JSON] = endpoint.template.split(separator: "/").filter { $0.hasPrefix(":") }.map {
            ["name": String($0.dropFirst()), "in": "path", "required": true, "schema": ["type": "string"]]
        }
        let parameters = pathParameters + operation.query.map(describe)
        if !parameters.isEmpty { described["parameters"] = parameters }

        let hasBody = endpoint.input != nil || !operation.upload.isEmpty
        if let input = endpoint.input {
            var schema = reader.read(input, inline: true).schema
            schema["additionalProperties"] = false
            described["requestBody"] = ["required": true, "content": ["application/json": ["schema": schema]]]
        } else if !operation.upload.isEmpty {
            var content: JSON = [:]
            for mediaType in operation.upload { content[mediaType] = ["schema": ["type": "string"]] }
            content["multipart/form-data"] = [
                "schema": [
                    "type": "object", "properties": ["file": ["type": "string", "format": "binary"], "format": ["type": "string"]],
                ]
            ]
            described["requestBody"] = ["required": true, "content": content]
        }

        var responses: JSON = [:]
        for reply in operation.replies {
            var response: JSON = ["description": reply.description]
            var content: JSON = [:]
            for body in reply.content {
                switch body {
                case .json(let type): content["application/json"] = ["schema": reader.schema(of: type)]
                case .anyObject: content["application/json"] = ["schema": ["type": "object"]]
                case .text(let mediaType): content[mediaType] = ["schema": ["type": "string"]]
                }
            }
            if !content.isEmpty { response["content"] = content }
            responses[String(reply.status)] = response
        }
        // A credential is needed unless the route is open; a body in any type but its own is 415.
        let problems = Set(operation.errors + (open ? [] : [401]) + (hasBody ? [415] : []))
        for status in problems where responses[String(status)] == nil {
            responses[String(status)] = ["description": "Problem", "content": ["application/problem+json": ["schema": problem]]]
        }
        described["responses"] = responses
        return described
    }

    private static func describe(_ parameter: QueryParameter) -> JSON {
        let schema: JSON
        switch parameter.kind {
        case .text: schema = ["type": "string"]
        case .oneOf(let values): schema = ["type": "string", "enum": values]
        case .range(let range): schema = ["type": "integer", "minimum": range.lowerBound, "maximum": range.upperBound]
        }
        return ["name": parameter.name, "in": "query", "required": false, "schema": schema]
    }
}

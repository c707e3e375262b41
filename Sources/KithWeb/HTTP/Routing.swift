import Foundation
import Hummingbird
import KithDomain

/// Who may call a route. Each route states it once, in its capability's route table; the
/// authorisation matrix calls every route as every kind of caller and checks the answer against
/// it.
enum Access: String, Sendable, CaseIterable {
    /// Anyone, signed in or not (sign-in forms, health, the API document, static files).
    case everyone
    /// The secret in the address is the credential (calendar feeds).
    case secretAddress
    /// Any signed-in member; it never returns anyone's private data.
    case member
    /// Acts on the caller's own data only (their contacts, their profile, their requests).
    case caller
    /// The owner of the resource in the address; everyone else, admins included, gets 404 or 403.
    case owner
    /// The event's organiser, or a moderator or admin (who look after the community's events);
    /// other members get 403 or 404.
    case organizer
    /// Those going to or considering the event, and its organiser; others get 403 or 404.
    case attendee
    /// Admins only.
    case admin
    /// A write to something read-only (the CalDAV calendar): its owner is told why (403),
    /// everyone else gets no further than for any of the owner's resources.
    case refused
}

/// A value that can stand in a path segment: typed, so a link to an event cannot be given a
/// contact's id.
protocol PathValue: Sendable {
    var pathSegment: String { get }
}

extension Identifier: PathValue {
    var pathSegment: String { description }
}

extension Handle: PathValue {
    var pathSegment: String { rawValue }
}

extension String: PathValue {
    var pathSegment: String {
        addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? self
    }
}

/// How many parameters a route's path has, and of which types.
protocol PathParameters: Sendable {
    static var count: Int { get }
}
/// A path with no parameters.
enum NoParameters: PathParameters { static var count: Int { 0 } }
/// A path with one parameter of type `A`.
enum OneParameter<A: PathValue>: PathParameters { static var count: Int { 1 } }
/// A path with two parameters.
enum TwoParameters<A: PathValue, B: PathValue>: PathParameters { static var count: Int { 2 } }

/// One route, written once: its method, its path (`:name` segments are parameters, typed by
/// `Parameters`), who may call it and what it does. The router registers it
/// (`RouterGroup.on(_:use:)`), views build links from it (`path`, `path(_:)`), the OpenAPI
/// document names its operation from it, and the authorisation matrix reads its access from it.
struct Endpoint<Parameters: PathParameters>: Sendable {
    let method: HTTPRequest.Method
    let template: String
    let access: Access
    let summary: String
    /// The JSON body an API route reads, if any (the OpenAPI test checks its schema names exactly
    /// this type's fields).
    let input: (any APIInput.Type)?
    /// How an API route appears in the OpenAPI document (which is built from these).
    let operation: APIOperation?
    /// Where its requests run (`RequestLane`, `WorkLaneMiddleware`).
    let lane: RequestLane

    init(
        _ method: HTTPRequest.Method,
        _ template: String,
        _ access: Access,
        _ summary: String,
        input: (any APIInput.Type)? = nil,
        operation: APIOperation? = nil,
        lane: RequestLane = .foreground
    ) {
        let parameters = template.split(separator: "/").filter { $0.hasPrefix(":") }.count
        precondition(parameters == Parameters.count, "\(template) has \(parameters) parameters, its type says \(Parameters.count)")
        self.method = method
        self.template = template
        self.access = access
        self.summary = summary
        self.input = input
        self.operation = operation
        self.lane = lane
    }

    /// "GET /events/:id": how the router and the matrix name the route.
    var key: String { "\(method.rawValue) \(template)" }

    var erased: AnyEndpoint {
        AnyEndpoint(method: method, template: template, access: access, summary: summary, input: input, operation: operation, lane: lane)
    }

    fileprivate func filled(_ values: [String]) -> String {
        var remaining = values[...]
        return "/"
            + template.split(separator: "/", omittingEmptySubsequences: true).map { segment in
                segment.hasPrefix(":") ? remaining.popFirst() ?? "" : String(segment)
            }.joined(separator: "/")
    }
}

extension Endpoint where Parameters == NoParameters {
    /// The address of this route.
    var path: String { template }
}

extension Endpoint {
    /// The address of this route for `value`.
    func path<A>(_ value: A) -> String where Parameters == OneParameter<A> {
        filled([value.pathSegment])
    }

    /// The address of this route for `first` and `second`.
    func path<A, B>(_ first: A, _ second: B) -> String where Parameters == TwoParameters<A, B> {
        filled([first.pathSegment, second.pathSegment])
    }
}

/// A route without its parameter types, for the route catalogue.
struct AnyEndpoint: Sendable {
    let method: HTTPRequest.Method
    let template: String
    let access: Access
    let summary: String
    let input: (any APIInput.Type)?
    let operation: APIOperation?
    let lane: RequestLane

    var key: String { "\(method.rawValue) \(template)" }
    var isAPI: Bool { template.hasPrefix("/api/") }
}

extension RouterGroup {
    /// Registers `endpoint` with its handler.
    @discardableResult
    func on<P, Output: ResponseGenerator>(
        _ endpoint: Endpoint<P>,
        use handler: @escaping @Sendable (Request, Context) async throws -> Output
    ) -> Self {
        if let operation = endpoint.operation {
            precondition(
                operation.admits(Output.self),
                "\(endpoint.key): its handler answers with \(Output.self), its route table says \(operation.jsonTypes)"
            )
        }
        return on(RouterPath(endpoint.template), method: endpoint.method, use: handler)
    }
}

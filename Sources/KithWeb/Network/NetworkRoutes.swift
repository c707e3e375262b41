import Hummingbird
import KithDomain

/// The network routes: each written once, here (see `Endpoint`).
enum NetworkRoutes {
    enum API {
        static let request = Endpoint<NoParameters>(
            .post,
            "/api/v1/connections/requests",
            .caller,
            "Ask a member to connect (asking someone who asked you accepts their request)",
            input: ConnectionsAPIController.ConnectRequest.self,
            operation: APIOperation(
                "requestConnection",
                .json(201, "Request sent, or theirs accepted", RequestDTO.self),
                errors: [400, 404, 409, 413, 422, 429]
            )
        )
        static let requests = Endpoint<NoParameters>(
            .get,
            "/api/v1/connections/requests",
            .caller,
            "Requests waiting for the caller (incoming) or sent by them (outgoing)",
            operation: APIOperation(
                "listConnectionRequests",
                query: [.values("box", ["incoming", "outgoing"]), .text("after"), .limit],
                .json("Requests", ListDTO<RequestDTO>.self),
                errors: [422]
            )
        )
        static let accept = Endpoint<OneParameter<ConnectionRequest.ID>>(
            .post,
            "/api/v1/connections/requests/:id/accept",
            .owner,
            "Accept a request",
            operation: APIOperation("acceptConnectionRequest", .json("Accepted", RequestDTO.self), errors: [404])
        )
        static let ignore = Endpoint<OneParameter<ConnectionRequest.ID>>(
            .post,
            "/api/v1/connections/requests/:id/ignore",
            .owner,
            "Ignore a request (the sender is never told)",
            operation: APIOperation("ignoreConnectionRequest", .empty("Ignored"), errors: [404])
        )
        static let withdraw = Endpoint<OneParameter<ConnectionRequest.ID>>(
            .delete,
            "/api/v1/connections/requests/:id",
            .owner,
            "Withdraw a request the caller sent",
            operation: APIOperation("withdrawConnectionRequest", .empty("Withdrawn"), errors: [404])
        )
        static let connections = Endpoint<NoParameters>(
            .get,
            "/api/v1/connections",
            .caller,
            "A member's connections (default the caller), if their connections list is visible to the caller",
            operation: APIOperation(
                "listConnections",
                query: [.text("member"), .text("after"), .limit],
                .json("Connections", ListDTO<MemberSummaryDTO>.self),
                errors: [403, 404, 422]
            )
        )
        static let disconnect = Endpoint<OneParameter<Handle>>(
            .delete,
            "/api/v1/connections/:handle",
            .caller,
            "Remove a connection",
            operation: APIOperation("removeConnection", .empty("Removed"), errors: [404])
        )
        static let relationship = Endpoint<OneParameter<Handle>>(
            .get,
            "/api/v1/members/:handle/relationship",
            .member,
            "Degree, mutual connections and warm-introduction paths between the caller and a member",
            operation: APIOperation("relationship", .json("Relationship", RelationshipDTO.self), errors: [404]),
            lane: .ranking
        )
        static let suggestions = Endpoint<NoParameters>(
            .get,
            "/api/v1/suggestions",
            .caller,
            "People the caller may know, with reasons",
            operation: APIOperation("suggestions", query: [.limit], .json("Suggestions", SuggestionsDTO.self), errors: [422]),
            lane: .ranking
        )

        static let all: [AnyEndpoint] = [
            request.erased, requests.erased, accept.erased, ignore.erased, withdraw.erased, connections.erased, disconnect.erased,
            relationship.erased, suggestions.erased,
        ]
    }

    enum Pages {
        static let network = Endpoint<NoParameters>(.get, "/network", .caller, "Connections and connection requests")
        static let suggestions = Endpoint<NoParameters>(.get, "/suggestions", .caller, "People you may know, with reasons", lane: .ranking)
        static let request = Endpoint<NoParameters>(.post, "/network/requests", .caller, "Ask to connect")
        static let accept = Endpoint<OneParameter<ConnectionRequest.ID>>(
            .post,
            "/network/requests/:id/accept",
            .owner,
            "Accept a connection request"
        )
        static let ignore = Endpoint<OneParameter<ConnectionRequest.ID>>(
            .post,
            "/network/requests/:id/ignore",
            .owner,
            "Ignore a connection request (the sender is never told)"
        )
        static let withdraw = Endpoint<OneParameter<ConnectionRequest.ID>>(
            .post,
            "/network/requests/:id/withdraw",
            .owner,
            "Withdraw a connection request"
        )
        static let remove = Endpoint<OneParameter<Handle>>(.post, "/network/connections/:handle/remove", .caller, "Remove a connection")

        static let all: [AnyEndpoint] = [
            network.erased, suggestions.erased, request.erased, accept.erased, ignore.erased, withdraw.erased, remove.erased,
        ]
    }

    static let all: [AnyEndpoint] = API.all + Pages.all
}

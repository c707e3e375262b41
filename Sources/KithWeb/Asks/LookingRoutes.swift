import Hummingbird
import KithDomain

/// The looking signal and the support circle: each route written once, here (see `Endpoint`).
/// Only the member reads or sets their signal; only their circle sees it, in the circle list.
enum LookingRoutes {
    enum API {
        static let show = Endpoint<NoParameters>(
            .get,
            "/api/v1/me/looking",
            .caller,
            "The caller's private looking-for-work signal and its circle",
            operation: APIOperation("showLooking", .json("Signal", LookingDTO.self))
        )
        static let set = Endpoint<NoParameters>(
            .put,
            "/api/v1/me/looking",
            .caller,
            "Set the looking-for-work signal: only the circle (connections, at most 12) ever sees it",
            input: LookingAPIController.LookingBody.self,
            operation: APIOperation("setLooking", .json("Signal", LookingDTO.self), errors: [400, 413, 422])
        )
        static let circle = Endpoint<NoParameters>(
            .get,
            "/api/v1/me/circle",
            .caller,
            "The signals of members whose circle the caller is in",
            operation: APIOperation("supportedSignals", .json("Signals", ListDTO<SupportedSignalDTO>.self))
        )

        static let all: [AnyEndpoint] = [show.erased, set.erased, circle.erased]
    }

    enum Pages {
        static let looking = Endpoint<NoParameters>(.get, "/me/looking", .caller, "Looking for work, and the circles you are in")
        static let set = Endpoint<NoParameters>(.post, "/me/looking", .caller, "Set the looking signal")

        static let all: [AnyEndpoint] = [looking.erased, set.erased]
    }

    static let all = API.all + Pages.all
}

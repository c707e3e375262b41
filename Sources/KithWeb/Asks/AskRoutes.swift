import Hummingbird
import KithDomain

/// Help asks: each route written once, here (see `Endpoint`). Only the asker and the members an
/// ask was routed to reach it; everyone else, admins included, gets 404.
enum AskRoutes {
    enum API {
        static let create = Endpoint<NoParameters>(
            .post,
            "/api/v1/asks",
            .caller,
            "Ask for help: routed to the few members most able to help (never a broadcast)",
            input: AsksAPIController.CreateBody.self,
            operation: APIOperation("createAsk", .json(201, "Asked", HelpAskDTO.self), errors: [400, 409, 413, 422, 429])
        )
        static let list = Endpoint<NoParameters>(
            .get,
            "/api/v1/asks",
            .caller,
            "Asks the caller could help with (for=me, each with why they were chosen), or their own (mine=true)",
            operation: APIOperation(
                "listAsks",
                query: [.values("for", ["me"]), .flag("mine")],
                .json("Asks", ListDTO<HelpAskDTO>.self),
                errors: [422]
            )
        )
        static let show = Endpoint<OneParameter<Ask.ID>>(
            .get,
            "/api/v1/asks/:id",
            .owner,
            "One ask, as the caller may see it",
            operation: APIOperation("showAsk", .json("Ask", HelpAskDTO.self), errors: [404])
        )
        static let offer = Endpoint<OneParameter<Ask.ID>>(
            .post,
            "/api/v1/asks/:id/offers",
            .owner,
            "Offer help with a note (members the ask reached)",
            input: AsksAPIController.OfferBody.self,
            operation: APIOperation("offerHelp", .json(201, "Offered", HelpAskDTO.self), errors: [400, 404, 409, 413, 422])
        )
        static let acceptOffer = Endpoint<TwoParameters<Ask.ID, AskOffer.ID>>(
            .post,
            "/api/v1/asks/:id/offers/:offer/accept",
            .owner,
            "The asker accepts an offer: a conversation with the helper opens",
            operation: APIOperation("acceptOffer", .json("Accepted", OfferAcceptedDTO.self), errors: [404])
        )
        static let decline = Endpoint<OneParameter<Ask.ID>>(
            .post,
            "/api/v1/asks/:id/decline",
            .owner,
            "\"Not for me\": the ask leaves the caller's list; nobody is told",
            operation: APIOperation("declineAsk", .empty("Declined"), errors: [404, 409])
        )
        static let resolve = Endpoint<OneParameter<Ask.ID>>(
            .post,
            "/api/v1/asks/:id/resolve",
            .owner,
            "The asker closes the ask naming who helped (each must have offered); their helped count grows",
            input: AsksAPIController.ResolveBody.self,
            operation: APIOperation("resolveAsk", .json("Resolved", HelpAskDTO.self), errors: [400, 404, 409, 413, 422])
        )
        static let withdraw = Endpoint<OneParameter<Ask.ID>>(
            .post,
            "/api/v1/asks/:id/withdraw",
            .owner,
            "The asker takes it back",
            operation: APIOperation("withdrawAsk", .json("Withdrawn", HelpAskDTO.self), errors: [404, 409])
        )

        static let all: [AnyEndpoint] = [
            create.erased, list.erased, show.erased, offer.erased, acceptOffer.erased, decline.erased, resolve.erased, withdraw.erased,
        ]
    }

    enum Pages {
        static let list = Endpoint<NoParameters>(.get, "/asks", .caller, "Asks: for me, and mine")
        static let new = Endpoint<NoParameters>(.get, "/asks/new", .caller, "Ask for help")
        static let create = Endpoint<NoParameters>(.post, "/asks", .caller, "Send an ask")
        static let show = Endpoint<OneParameter<Ask.ID>>(.get, "/asks/:id", .owner, "One ask")
        static let offer = Endpoint<OneParameter<Ask.ID>>(.post, "/asks/:id/offers", .owner, "Offer help")
        static let acceptOffer = Endpoint<TwoParameters<Ask.ID, AskOffer.ID>>(
            .post,
            "/asks/:id/offers/:offer/accept",
            .owner,
            "Accept an offer"
        )
        static let decline = Endpoint<OneParameter<Ask.ID>>(.post, "/asks/:id/decline", .owner, "Not for me")
        static let resolve = Endpoint<OneParameter<Ask.ID>>(.post, "/asks/:id/resolve", .owner, "Resolve, thanking who helped")
        static let withdraw = Endpoint<OneParameter<Ask.ID>>(.post, "/asks/:id/withdraw", .owner, "Withdraw the ask")

        static let all: [AnyEndpoint] = [
            list.erased, new.erased, create.erased, show.erased, offer.erased, acceptOffer.erased, decline.erased, resolve.erased,
            withdraw.erased,
        ]
    }

    static let all = API.all + Pages.all
}

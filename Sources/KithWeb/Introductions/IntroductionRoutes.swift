import Hummingbird
import KithDomain

/// Double opt-in introductions: each route written once, here (see `Endpoint`). Only the asker,
/// the connector and — once it is forwarded — the target reach an introduction; everyone else,
/// admins included, gets 404.
enum IntroductionRoutes {
    enum API {
        static let create = Endpoint<NoParameters>(
            .post,
            "/api/v1/introductions",
            .caller,
            "Ask a connection (via) to introduce you to someone they know (target)",
            input: IntroductionsAPIController.CreateBody.self,
            operation: APIOperation(
                "createIntroduction",
                .json(201, "Asked", IntroductionDTO.self),
                errors: [400, 404, 409, 413, 422, 429]
            )
        )
        static let list = Endpoint<NoParameters>(
            .get,
            "/api/v1/introductions",
            .caller,
            "The caller's introductions in one role: asked for, asked to make, or made to them (only once forwarded)",
            operation: APIOperation(
                "listIntroductions",
                query: [.oneOf("role", IntroductionRole.self)],
                .json("Introductions", ListDTO<IntroductionDTO>.self),
                errors: [422]
            )
        )
        static let show = Endpoint<OneParameter<Ask.ID>>(
            .get,
            "/api/v1/introductions/:id",
            .owner,
            "One introduction, as the caller may see it",
            operation: APIOperation("showIntroduction", .json("Introduction", IntroductionDTO.self), errors: [404])
        )
        static let forward = Endpoint<OneParameter<Ask.ID>>(
            .post,
            "/api/v1/introductions/:id/forward",
            .owner,
            "The connector sends it on to the target, with an optional note",
            input: IntroductionsAPIController.ForwardBody.self,
            operation: APIOperation("forwardIntroduction", .json("Forwarded", IntroductionDTO.self), errors: [400, 404, 409, 413, 422])
        )
        static let question = Endpoint<OneParameter<Ask.ID>>(
            .post,
            "/api/v1/introductions/:id/question",
            .owner,
            "The connector asks the asker for more before deciding (a message in their conversation)",
            input: IntroductionsAPIController.QuestionBody.self,
            operation: APIOperation("questionIntroduction", .json(201, "Asked", QuestionAskedDTO.self), errors: [400, 404, 409, 413, 422])
        )
        static let pass = Endpoint<OneParameter<Ask.ID>>(
            .post,
            "/api/v1/introductions/:id/pass",
            .owner,
            "The connector or the target passes, quietly: the asker reads only \"not this time\"",
            operation: APIOperation("passIntroduction", .json("Passed", IntroductionDTO.self), errors: [404, 409])
        )
        static let accept = Endpoint<OneParameter<Ask.ID>>(
            .post,
            "/api/v1/introductions/:id/accept",
            .owner,
            "The target accepts: a conversation of all three opens with the blurb",
            operation: APIOperation("acceptIntroduction", .json("Introduced", IntroductionDTO.self), errors: [404, 409])
        )
        static let withdraw = Endpoint<OneParameter<Ask.ID>>(
            .post,
            "/api/v1/introductions/:id/withdraw",
            .owner,
            "The asker takes it back while it is open",
            operation: APIOperation("withdrawIntroduction", .json("Withdrawn", IntroductionDTO.self), errors: [404, 409])
        )
        static let outcome = Endpoint<OneParameter<Ask.ID>>(
            .post,
            "/api/v1/introductions/:id/outcome",
            .owner,
            "The asker says what came of it (met, helped, hired, no_fit)",
            input: IntroductionsAPIController.OutcomeBody.self,
            operation: APIOperation(
                "recordIntroductionOutcome",
                .json("Recorded", IntroductionDTO.self),
                errors: [400, 404, 409, 413, 422]
            )
        )
        static let availability = Endpoint<NoParameters>(
            .get,
            "/api/v1/me/introductions/availability",
            .caller,
            "How many introductions a month may reach the caller, and whether they are paused",
            operation: APIOperation("introductionAvailability", .json("Availability", AvailabilityDTO.self))
        )
        static let setAvailability = Endpoint<NoParameters>(
            .put,
            "/api/v1/me/introductions/availability",
            .caller,
            "Set a monthly limit on introductions reaching the caller, or no introductions until a date",
            input: IntroductionsAPIController.AvailabilityBody.self,
            operation: APIOperation("setIntroductionAvailability", .json("Availability", AvailabilityDTO.self), errors: [400, 413, 422])
        )

        static let all: [AnyEndpoint] = [
            create.erased, list.erased, show.erased, forward.erased, question.erased, pass.erased, accept.erased, withdraw.erased,
            outcome.erased, availability.erased, setAvailability.erased,
        ]
    }

    enum Pages {
        static let list = Endpoint<NoParameters>(.get, "/introductions", .caller, "Introductions: mine, to make, to me")
        static let new = Endpoint<NoParameters>(.get, "/introductions/new", .caller, "Ask for an introduction")
        static let create = Endpoint<NoParameters>(.post, "/introductions", .caller, "Send an introduction request")
        static let availability = Endpoint<NoParameters>(
            .post,
            "/introductions/availability",
            .caller,
            "Set a monthly limit or a pause"
        )
        static let show = Endpoint<OneParameter<Ask.ID>>(.get, "/introductions/:id", .owner, "One introduction")
        static let forward = Endpoint<OneParameter<Ask.ID>>(.post, "/introductions/:id/forward", .owner, "Forward it with a note")
        static let question = Endpoint<OneParameter<Ask.ID>>(.post, "/introductions/:id/question", .owner, "Ask the asker for more")
        static let pass = Endpoint<OneParameter<Ask.ID>>(.post, "/introductions/:id/pass", .owner, "Pass, quietly")
        static let accept = Endpoint<OneParameter<Ask.ID>>(.post, "/introductions/:id/accept", .owner, "Accept the introduction")
        static let withdraw = Endpoint<OneParameter<Ask.ID>>(.post, "/introductions/:id/withdraw", .owner, "Withdraw the request")
        static let outcome = Endpoint<OneParameter<Ask.ID>>(.post, "/introductions/:id/outcome", .owner, "Say what came of it")

        static let all: [AnyEndpoint] = [
            list.erased, new.erased, create.erased, availability.erased, show.erased, forward.erased, question.erased, pass.erased,
            accept.erased, withdraw.erased, outcome.erased,
        ]
    }

    static let all = API.all + Pages.all
}

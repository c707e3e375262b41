import Hummingbird
import KithDomain

/// The profiles routes: each written once, here (see `Endpoint`).
enum ProfileRoutes {
    enum API {
        static let list = Endpoint<NoParameters>(
            .get,
            "/api/v1/members",
            .member,
            "Search the directory",
            operation: APIOperation(
                "listMembers",
                query: [
                    .text("q"), .text("skill"), .text("industry"), .oneOf("career_stage", CareerStage.self), .text("cohort"),
                    .text("organization"), .text("location"), .oneOf("open_to", OpenTo.self), .text("after"), .flag("typeahead"), .limit,
                ],
                .json("Members", ListDTO<MemberSummaryDTO>.self),
                errors: [422]
            ),
            lane: .ranking
        )
        static let show = Endpoint<OneParameter<Handle>>(
            .get,
            "/api/v1/members/:handle",
            .member,
            "A member's profile as the caller may see it",
            operation: APIOperation("showMember", .json("Profile", ProfileDTO.self), errors: [404])
        )
        static let block = Endpoint<OneParameter<Handle>>(
            .post,
            "/api/v1/members/:handle/block",
            .caller,
            "Block a member",
            operation: APIOperation("blockMember", .empty("Blocked"), errors: [404, 422])
        )
        static let unblock = Endpoint<OneParameter<Handle>>(
            .delete,
            "/api/v1/members/:handle/block",
            .caller,
            "Unblock a member",
            operation: APIOperation("unblockMember", .empty("Unblocked"), errors: [404])
        )

        static let all: [AnyEndpoint] = [list.erased, show.erased, block.erased, unblock.erased]
    }

    enum Pages {
        static let home = Endpoint<NoParameters>(.get, "/", .everyone, "The home page")
        static let show = Endpoint<OneParameter<Handle>>(.get, "/in/:handle", .member, "A member's profile as the caller may see it")
        static let editForm = Endpoint<NoParameters>(.get, "/me/edit", .caller, "Edit the caller's profile")
        static let edit = Endpoint<NoParameters>(.post, "/me/edit", .caller, "Save the caller's profile")
        static let addAffiliation = Endpoint<NoParameters>(
            .post,
            "/me/affiliations",
            .caller,
            "Add a school, employer, association or programme"
        )
        static let removeAffiliation = Endpoint<OneParameter<Affiliation.ID>>(
            .post,
            "/me/affiliations/:id/delete",
            .owner,
            "Remove an affiliation"
        )
        static let block = Endpoint<OneParameter<Handle>>(.post, "/in/:handle/block", .caller, "Block a member")
        static let unblock = Endpoint<OneParameter<Handle>>(.post, "/in/:handle/unblock", .caller, "Unblock a member")
        static let search = Endpoint<NoParameters>(.get, "/directory", .member, "Search the directory", lane: .ranking)
        static let stylesheet = Endpoint<NoParameters>(.get, "/assets/kith.css", .everyone, "The stylesheet")
        static let favicon = Endpoint<NoParameters>(.get, "/favicon.svg", .everyone, "The icon")
        static let script = Endpoint<NoParameters>(.get, "/assets/kith.js", .everyone, "The pages' small script (live messages)")
        static let faviconFaviconIco = Endpoint<NoParameters>(
            .get,
            "/favicon.ico",
            .everyone,
            "The icon (for browsers that ask for it by this name)"
        )

        static let all: [AnyEndpoint] = [
            home.erased, show.erased, editForm.erased, edit.erased, addAffiliation.erased, removeAffiliation.erased, block.erased,
            unblock.erased, search.erased, stylesheet.erased, script.erased, favicon.erased, faviconFaviconIco.erased,
        ]
    }

    static let all: [AnyEndpoint] = API.all + Pages.all
}

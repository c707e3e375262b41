import Hummingbird
import KithDomain

extension DirectorySearch {
    /// The search as the directory page and the API both take it from the query string.
    init(query: Parameters) {
        self.init(
            q: query.get("q"),
            skill: query.get("skill"),
            industry: query.get("industry"),
            careerStage: query.get("career_stage"),
            cohort: query.get("cohort"),
            organization: query.get("organization"),
            location: query.get("location"),
            openTo: query.get("open_to"),
            after: query.get("after"),
            limit: query.get("limit"),
            typeahead: query.get("typeahead")
        )
    }
}

/// Profiles of others, the directory, and blocking.
struct MembersAPIController {
    let profiles: ProfileService
    let directory: DirectoryService
    let blocks: BlockService

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.on(ProfileRoutes.API.list, use: list)
        router.on(ProfileRoutes.API.show, use: show)
        router.on(ProfileRoutes.API.block, use: block)
        router.on(ProfileRoutes.API.unblock, use: unblock)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> ListDTO<MemberSummaryDTO> {
        let member = try context.requireMember()
        let search = DirectorySearch(query: request.uri.queryParameters)
        let page = try await directory.search(search, by: member)
        return ListDTO(items: page.items.map(MemberSummaryDTO.init), next: page.next)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> ProfileDTO {
        let member = try context.requireMember()
        return ProfileDTO(try await profiles.view(handle: context.parameters.get("handle") ?? "", by: member))
    }

    @Sendable func block(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let member = try context.requireMember()
        try await blocks.block(handle: context.parameters.get("handle") ?? "", by: member)
        return .noContent
    }

    @Sendable func unblock(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let member = try context.requireMember()
        try await blocks.unblock(handle: context.parameters.get("handle") ?? "", by: member)
        return .noContent
    }
}

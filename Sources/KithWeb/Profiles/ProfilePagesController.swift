import Foundation
import Hummingbird
import KithDomain

/// Home, profiles, profile editing, affiliations and blocking, as pages.
struct ProfilePagesController {
    let accounts: AccountService
    let profiles: ProfileService
    let blocks: BlockService
    let relationships: RelationshipService
    let contacts: ContactService
    /// The home page's week draws on most capabilities.
    let services: Services

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.on(ProfileRoutes.Pages.home, use: home)
        router.on(ProfileRoutes.Pages.show, use: show)
        router.on(ProfileRoutes.Pages.editForm, use: editForm)
        router.on(ProfileRoutes.Pages.edit, use: edit)
        router.on(ProfileRoutes.Pages.addAffiliation, use: addAffiliation)
        router.on(ProfileRoutes.Pages.removeAffiliation, use: removeAffiliation)
        router.on(ProfileRoutes.Pages.block, use: block)
        router.on(ProfileRoutes.Pages.unblock, use: unblock)
    }

    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        var own: ProfileView?
        var week: HomeWeek?
        if let member = context.member {
            own = try await profiles.own(member)
            week = try await HomeWeek.load(for: member, services: services)
        }
        let count = try await accounts.memberCount()
        return Pages.render(
            { HTMLResponse(HomePage(chrome: $0, profile: own, memberCount: count, week: week).document()) },
            context: context,
            request: request
        )
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        let handle = context.parameters.get("handle") ?? ""
        let view = try await profiles.view(handle: handle, by: member)
        let relationship = view.relation == .owner ? nil : try await relationships.relationship(with: handle, viewer: member)
        var personal: [Member.ID: PersonalContext] = [:]
        if let relationship {
            let people = [relationship.member.id] + relationship.paths.compactMap { $0.count > 2 ? $0[1].id : nil }
            personal = try await contacts.personalContext(for: people, owner: member)
        }
        let subject = view.relation == .owner ? member.id : relationship?.member.id
        var helped = 0
        if let subject { helped = try await services.asks.helpedCount(of: subject) }
        return HTMLResponse(
            ProfilePage(chrome: context.chrome(), profile: view, relationship: relationship, personal: personal, helped: helped).document()
        )
    }

    @Sendable func editForm(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        let profile = try await profiles.editable(member)
        return try await editPage(member, form: ProfileForm(name: member.name, profile: profile), context: context)
    }

    @Sendable func edit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        var form = ProfileForm()
        form.name = data.text("name")
        form.headline = data.text("headline")
        form.bio = data.text("bio")
        form.location = data.text("location")
        form.industry = data.text("industry")
        form.careerStage = data.text("career_stage")
        form.skills = data.text("skills")
        form.interests = data.text("interests")
        form.openTo = Set(data.all("open_to"))
        form.website = data.text("website")
        form.phone = data.text("phone")
        for section in ProfileSection.allCases {
            if let value = data["visibility.\(section.rawValue)"] { form.visibility[section.rawValue] = value }
        }
        do {
            _ = try await profiles.update(form.changes, of: member)
            return Pages.redirect(ProfileRoutes.Pages.show.path(member.handle))
        } catch DomainError.invalid(let errors) {
            return try await editPage(
                member,
                form: form,
                errors: FieldErrors(errors: errors),
                context: context,
                status: .unprocessableContent
            )
            .response()
        }
    }

    @Sendable func addAffiliation(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        var check = Validation()
        func year(_ field: String) -> Int? {
            let raw = data.text(field).trimmingCharacters(in: .whitespaces)
            guard !raw.isEmpty else { return nil }
            guard let value = Int(raw) else {
                check.fail(field, "must be a year such as 2015")
                return nil
            }
            return value
        }
        let input = AffiliationInput(
            kind: data.text("kind"),
            organization: data.text("organization"),
            title: data.text("title"),
            cohort: data.text("cohort"),
            startYear: year("start_year"),
            endYear: year("end_year")
        )
        do {
            try check.throwIfFailed()
            _ = try await profiles.addAffiliation(input, to: member)
            return Pages.redirect(ProfileRoutes.Pages.editForm.path + "#affiliations")
        } catch DomainError.invalid(let errors) {
            let profile = try await profiles.editable(member)
            return try await editPage(
                member,
                form: ProfileForm(name: member.name, profile: profile),
                affiliationErrors: FieldErrors(errors: errors),
                context: context,
                status: .unprocessableContent
            ).response()
        }
    }

    @Sendable func removeAffiliation(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        _ = try await VerifiedForm.read(request, context: context)
        try await profiles.removeAffiliation(id: context.parameters.get("id") ?? "", of: member)
        return Pages.redirect(ProfileRoutes.Pages.editForm.path + "#affiliations")
    }

    @Sendable func block(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        _ = try await VerifiedForm.read(request, context: context)
        try await blocks.block(handle: context.parameters.get("handle") ?? "", by: member)
        return Pages.redirect(ProfileRoutes.Pages.editForm.path + "#blocked")
    }

    @Sendable func unblock(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        _ = try await VerifiedForm.read(request, context: context)
        try await blocks.unblock(handle: context.parameters.get("handle") ?? "", by: member)
        return Pages.redirect(ProfileRoutes.Pages.editForm.path + "#blocked")
    }

    private func editPage(
        _ member: Member,
        form: ProfileForm,
        errors: FieldErrors = FieldErrors(),
        affiliationErrors: FieldErrors = FieldErrors(),
        context: AppRequestContext,
        status: HTTPResponse.Status = .ok
    ) async throws -> HTMLResponse {
        let page = EditProfilePage(
            chrome: context.chrome(),
            handle: member.handle,
            form: form,
            errors: errors,
            affiliations: try await profiles.own(member).affiliations ?? [],
            affiliationErrors: affiliationErrors,
            blocked: try await blocks.blocked(by: member)
        )
        return HTMLResponse(page.document(), status: status)
    }
}

/// The directory page.
struct DirectoryPagesController {
    let directory: DirectoryService

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.on(ProfileRoutes.Pages.search, use: search)
        router.on(ProfileRoutes.Pages.stylesheet, use: stylesheet)
        router.on(ProfileRoutes.Pages.script, use: script)
        router.on(ProfileRoutes.Pages.favicon, use: favicon)
        router.on(ProfileRoutes.Pages.faviconFaviconIco, use: favicon)
    }

    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        let search = DirectorySearch(query: request.uri.queryParameters)
        do {
            let page = try await directory.search(search, by: member)
            return HTMLResponse(DirectoryPage(chrome: context.chrome(), search: search, page: page, errors: FieldErrors()).document())
        } catch DomainError.invalid(let errors) {
            return HTMLResponse(
                DirectoryPage(chrome: context.chrome(), search: search, page: nil, errors: FieldErrors(errors: errors)).document(),
                status: .unprocessableContent
            )
        }
    }

    @Sendable func script(_ request: Request, context: AppRequestContext) async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/javascript; charset=utf-8"
        headers[.cacheControl] = "public, max-age=3600"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: Stylesheet.script)))
    }

    @Sendable func favicon(_ request: Request, context: AppRequestContext) async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "image/svg+xml"
        headers[.cacheControl] = "public, max-age=86400"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: Stylesheet.favicon)))
    }

    @Sendable func stylesheet(_ request: Request, context: AppRequestContext) async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/css; charset=utf-8"
        headers[.cacheControl] = "public, max-age=3600"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: Stylesheet.css)))
    }
}

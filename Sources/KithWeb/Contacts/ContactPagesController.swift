import Foundation
import Hummingbird
import KithDomain

/// The relationship manager's pages. Like the API, every page acts for the signed-in member only.
struct ContactPagesController {
    let services: Services

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.on(ContactRoutes.Pages.list, use: list)
        router.on(ContactRoutes.Pages.newContact, use: newContact)
        router.on(ContactRoutes.Pages.create, use: create)
        router.on(ContactRoutes.Pages.importForm, use: importForm)
        router.on(ContactRoutes.Pages.importFile, use: importFile)
        router.on(ContactRoutes.Pages.export, use: export)
        router.on(ContactRoutes.Pages.show, use: show)
        router.on(ContactRoutes.Pages.update, use: update)
        router.on(ContactRoutes.Pages.delete, use: delete)
        router.on(ContactRoutes.Pages.logInteraction, use: logInteraction)
        router.on(ContactRoutes.Pages.addFollowUp, use: addFollowUp)
        router.on(ContactRoutes.Pages.done, use: done)
        router.on(ContactRoutes.Pages.snooze, use: snooze)
        router.on(ContactRoutes.Pages.merge, use: merge)
        router.on(ContactRoutes.Pages.completeFollowUp, use: completeFollowUp)
        router.on(ContactRoutes.Pages.keepInTouch, use: keepInTouch)
        router.on(ContactRoutes.Pages.reciprocity, use: reciprocity)
    }

    private func id(_ context: AppRequestContext) -> String { context.parameters.get("id") ?? "" }

    /// The id in the address, typed (for links back to it); an id that is not one is "not found".
    private func contactID(_ context: AppRequestContext) throws -> Contact.ID {
        guard let id = Contact.ID(id(context)) else { throw DomainError.notFound("contact") }
        return id
    }

    /// "a, b\nc" → ["a", "b", "c"]; nil when the field was not sent.
    private static func list(_ raw: String?) -> [String]? {
        raw.map {
            $0.split(whereSeparator: { $0 == "," || $0 == "\n" }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
    }

    private static func contactInput(_ data: FormData) throws -> ContactInput {
        var cadence: Int?
        let rawCadence = data.text("cadence_days").trimmingCharacters(in: .whitespaces)
        if rawCadence.isEmpty {
            cadence = 0
        } else {
            guard let days = Int(rawCadence) else {
                throw DomainError.invalid(field: "cadence_days", reason: "must be a whole number of days from 1 to 3650")
            }
            cadence = days
        }
        return ContactInput(
            name: data["name"],
            member: data["member"],
            emails: list(data["emails"]),
            phones: list(data["phones"]),
            organization: data["organization"],
            title: data["title"],
            howWeMet: data["how_we_met"],
            tags: list(data["tags"]),
            notes: data["notes"],
            cadenceDays: cadence
        )
    }

    private static func values(_ data: FormData) -> [String: String] {
        Dictionary(uniqueKeysWithValues: ContactForm.fields.map { ($0, data.text($0)) })
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        let query = request.uri.queryParameters
        let filters = (q: query.get("q") ?? "", tag: query.get("tag") ?? "", status: query.get("status") ?? "")
        do {
            let page = try await services.contacts.list(
                text: filters.q,
                tag: filters.tag,
                status: filters.status,
                after: query.get("after"),
                limit: "50",
                owner: member
            )
            let unfiltered = filters.q.isEmpty && filters.tag.isEmpty && filters.status.isEmpty && query.get("after") == nil
            let duplicates = unfiltered ? try await services.contacts.duplicates(owner: member, limit: 10) : []
            return HTMLResponse(
                ContactsPage(chrome: context.chrome(), page: page, query: filters, errors: FieldErrors(), duplicates: duplicates).document()
            )
        } catch DomainError.invalid(let errors) {
            return HTMLResponse(
                ContactsPage(chrome: context.chrome(), page: nil, query: filters, errors: FieldErrors(errors: errors)).document(),
                status: .unprocessableContent
            )
        }
    }

    @Sendable func newContact(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        _ = try context.requireMember()
        let prefill = ["member": request.uri.queryParameters.get("member") ?? "", "name": request.uri.queryParameters.get("name") ?? ""]
        return HTMLResponse(NewContactPage(chrome: context.chrome(), values: prefill, errors: FieldErrors()).document())
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        do {
            let view = try await services.contacts.create(try Self.contactInput(data), owner: member)
            return Pages.redirect(ContactRoutes.Pages.show.path(view.contact.id))
        } catch DomainError.invalid(let errors) {
            return try HTMLResponse(
                NewContactPage(chrome: context.chrome(), values: Self.values(data), errors: FieldErrors(errors: errors)).document(),
                status: .unprocessableContent
            ).response(from: request, context: context)
        } catch DomainError.conflict(let field, let message) {
            return try HTMLResponse(
                NewContactPage(
                    chrome: context.chrome(),
                    values: Self.values(data),
                    errors: FieldErrors(errors: [FieldError(field: field ?? "member", message: message)])
                ).document(),
                status: .conflict
            ).response(from: request, context: context)
        }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        return HTMLResponse(
            ContactDetailPage(chrome: context.chrome(), detail: try await services.contacts.contact(id(context), owner: member)).document()
        )
    }

    /// Re-renders the contact page with one form's errors beside its fields.
    private func invalid(
        _ errors: [FieldError],
        form: String,
        editValues: [String: String]? = nil,
        status: HTTPResponse.Status = .unprocessableContent,
        request: Request,
        context: AppRequestContext,
        member: Member
    ) async throws -> Response {
        let detail = try await services.contacts.contact(id(context), owner: member)
        return try HTMLResponse(
            ContactDetailPage(
                chrome: context.chrome(),
                detail: detail,
                editValues: editValues,
                errors: FieldErrors(errors: errors),
                form: form
            )
            .document(),
            status: status
        ).response(from: request, context: context)
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        do {
            _ = try await services.contacts.update(id(context), with: try Self.contactInput(data), owner: member)
            return Pages.redirect(ContactRoutes.Pages.show.path(try contactID(context)))
        } catch DomainError.invalid(let errors) {
            return try await invalid(
                errors,
                form: "edit",
                editValues: Self.values(data),
                request: request,
                context: context,
                member: member
            )
        } catch DomainError.conflict(let field, let message) {
            return try await invalid(
                [FieldError(field: field ?? "member", message: message)],
                form: "edit",
                editValues: Self.values(data),
                status: .conflict,
                request: request,
                context: context,
                member: member
            )
        }
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        _ = try await VerifiedForm.read(request, context: context)
        try await services.contacts.delete(id(context), owner: member)
        return Pages.redirect(ContactRoutes.Pages.list.path)
    }

    @Sendable func logInteraction(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        do {
            _ = try await services.contacts.log(
                InteractionInput(kind: data["kind"], occurredAt: data["occurred_at"], note: data["note"], help: data["help"]),
                contact: id(context),
                owner: member
            )
            return Pages.redirect(ContactRoutes.Pages.show.path(try contactID(context)) + "#timeline")
        } catch DomainError.invalid(let errors) {
            return try await invalid(errors, form: "log", request: request, context: context, member: member)
        }
    }

    @Sendable func addFollowUp(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        do {
            _ = try await services.contacts.addFollowUp(
                FollowUpInput(dueAt: data["due_at"], text: data["text"]),
                contact: id(context),
                owner: member
            )
            return Pages.redirect(ContactRoutes.Pages.show.path(try contactID(context)) + "#follow-ups")
        } catch DomainError.invalid(let errors) {
            return try await invalid(errors, form: "follow-up", request: request, context: context, member: member)
        }
    }

    @Sendable func done(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        _ = try await services.contacts.markInTouch(id(context), owner: member)
        return Pages.redirect(
            data["back"] == ContactRoutes.Pages.keepInTouch.path
                ? ContactRoutes.Pages.keepInTouch.path : ContactRoutes.Pages.show.path(try contactID(context))
        )
    }

    @Sendable func snooze(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        _ = try await services.contacts.snooze(id(context), days: Int(data.text("days")), owner: member)
        return Pages.redirect(
            data["back"] == ContactRoutes.Pages.keepInTouch.path
                ? ContactRoutes.Pages.keepInTouch.path : ContactRoutes.Pages.show.path(try contactID(context))
        )
    }

    @Sendable func merge(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let data = try await VerifiedForm.read(request, context: context).data
        let merged = try await services.contacts.merge(data.text("from"), into: id(context), owner: member)
        return Pages.redirect(ContactRoutes.Pages.show.path(merged.contact.id))
    }

    @Sendable func completeFollowUp(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        _ = try await VerifiedForm.read(request, context: context)
        let followUp = try await services.contacts.completeFollowUp(id(context), owner: member)
        return Pages.redirect(ContactRoutes.Pages.show.path(followUp.contactID) + "#follow-ups")
    }

    @Sendable func keepInTouch(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        return HTMLResponse(
            KeepInTouchPage(chrome: context.chrome(), board: try await services.contacts.keepInTouch(owner: member)).document()
        )
    }

    @Sendable func reciprocity(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        let member = try context.requireMember()
        return HTMLResponse(
            ReciprocityPage(chrome: context.chrome(), report: try await services.contacts.reciprocity(owner: member)).document()
        )
    }

    @Sendable func importForm(_ request: Request, context: AppRequestContext) async throws -> HTMLResponse {
        _ = try context.requireMember()
        return HTMLResponse(ImportContactsPage(chrome: context.chrome()).document())
    }

    @Sendable func importFile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        do {
            let report = try await services.contacts.importSlots.run {
                let data = try await VerifiedForm.read(request, context: context, upTo: ContactService.importByteLimit + 64 * 1024).data
                guard let file = data.bytes("file"), !file.isEmpty else {
                    throw DomainError.invalid(field: "file", reason: "is required: choose a .vcf or .csv file")
                }
                return try await services.contacts.importContacts(
                    file,
                    format: try ContactFileFormat.parse(data["format"]),
                    owner: member
                )
            }
            return try HTMLResponse(ImportContactsPage(chrome: context.chrome(), report: report).document())
                .response(from: request, context: context)
        } catch DomainError.invalid(let errors) {
            return try HTMLResponse(
                ImportContactsPage(chrome: context.chrome(), errors: FieldErrors(errors: errors)).document(),
                status: .unprocessableContent
            )
            .response(from: request, context: context)
        }
    }

    @Sendable func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let cards = try await services.contacts.exportVCards(owner: member, version: request.uri.queryParameters.get("version"))
        return VCardDownload.response(cards)
    }

}

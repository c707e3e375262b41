import Foundation
import Hummingbird
import KithDomain

/// The private relationship manager's API. Every handler acts for the signed-in member only;
/// another member's contact ids answer 404 exactly like ids that never existed.
struct ContactsAPIController {
    let services: Services

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.on(ContactRoutes.API.list, use: list)
        router.on(ContactRoutes.API.create, use: create)
        router.on(ContactRoutes.API.importFile, use: importFile)
        router.on(ContactRoutes.API.export, use: export)
        router.on(ContactRoutes.API.duplicates, use: duplicates)
        router.on(ContactRoutes.API.show, use: show)
        router.on(ContactRoutes.API.update, use: update)
        router.on(ContactRoutes.API.delete, use: delete)
        router.on(ContactRoutes.API.logInteraction, use: logInteraction)
        router.on(ContactRoutes.API.interactions, use: interactions)
        router.on(ContactRoutes.API.addFollowUp, use: addFollowUp)
        router.on(ContactRoutes.API.snooze, use: snooze)
        router.on(ContactRoutes.API.done, use: done)
        router.on(ContactRoutes.API.merge, use: merge)
        router.on(ContactRoutes.API.followUps, use: followUps)
        router.on(ContactRoutes.API.completeFollowUp, use: completeFollowUp)
        router.on(ContactRoutes.API.keepInTouch, use: keepInTouch)
        router.on(ContactRoutes.API.reciprocity, use: reciprocity)
        router.on(ContactRoutes.API.cadences, use: cadences)
        router.on(ContactRoutes.API.setCadence, use: setCadence)
        router.on(ContactRoutes.API.deleteCadence, use: deleteCadence)
    }

    struct ContactBody: APIInput {
        var name: String?
        var member: String?
        var emails: [String]?
        var phones: [String]?
        var organization: String?
        var title: String?
        var howWeMet: String?
        var tags: [String]?
        var notes: String?
        var cadenceDays: Int?

        var input: ContactInput {
            ContactInput(
                name: name,
                member: member,
                emails: emails,
                phones: phones,
                organization: organization,
                title: title,
                howWeMet: howWeMet,
                tags: tags,
                notes: notes,
                cadenceDays: cadenceDays
            )
        }
    }

    struct InteractionBody: APIInput {
        var kind: String?
        var occurredAt: String?
        var note: String?
        var help: String?
    }

    struct FollowUpBody: APIInput {
        var dueAt: String?
        var text: String?
    }

    struct SnoozeBody: APIInput {
        var days: Int?
    }

    struct MergeBody: APIInput {
        var from: String?
    }

    struct CadenceBody: APIInput {
        var idealDays: Int?
        var maxDays: Int?
    }

    private func id(_ context: AppRequestContext) -> String { context.parameters.get("id") ?? "" }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> ListDTO<ContactRecordDTO> {
        let member = try context.requireMember()
        let query = request.uri.queryParameters
        let page = try await services.contacts.list(
            text: query.get("q"),
            tag: query.get("tag"),
            status: query.get("status"),
            after: query.get("after"),
            limit: query.get("limit"),
            owner: member
        )
        return ListDTO(items: page.items.map(ContactRecordDTO.init), next: page.next)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<ContactRecordDTO> {
        let member = try context.requireMember()
        let body = try await JSONBody.decode(ContactBody.self, from: request, context: context)
        return EditedResponse(status: .created, response: ContactRecordDTO(try await services.contacts.create(body.input, owner: member)))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> ContactDetailDTO {
        let member = try context.requireMember()
        return ContactDetailDTO(try await services.contacts.contact(id(context), owner: member))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> ContactRecordDTO {
        let member = try context.requireMember()
        let body = try await JSONBody.decode(ContactBody.self, from: request, context: context)
        return ContactRecordDTO(try await services.contacts.update(id(context), with: body.input, owner: member))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let member = try context.requireMember()
        try await services.contacts.delete(id(context), owner: member)
        return .noContent
    }

    @Sendable func logInteraction(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<LoggedInteractionDTO> {
        let member = try context.requireMember()
        let body = try await JSONBody.decode(InteractionBody.self, from: request, context: context)
        let (interaction, contact) = try await services.contacts.log(
            InteractionInput(kind: body.kind, occurredAt: body.occurredAt, note: body.note, help: body.help),
            contact: id(context),
            owner: member
        )
        return EditedResponse(status: .created, response: LoggedInteractionDTO(interaction: interaction, contact: contact))
    }

    @Sendable func interactions(_ request: Request, context: AppRequestContext) async throws -> ListDTO<InteractionDTO> {
        let member = try context.requireMember()
        return ListDTO(items: try await services.contacts.interactions(of: id(context), owner: member).map(InteractionDTO.init), next: nil)
    }

    @Sendable func addFollowUp(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<FollowUpDTO> {
        let member = try context.requireMember()
        let body = try await JSONBody.decode(FollowUpBody.self, from: request, context: context)
        let followUp = try await services.contacts.addFollowUp(
            FollowUpInput(dueAt: body.dueAt, text: body.text),
            contact: id(context),
            owner: member
        )
        return EditedResponse(status: .created, response: FollowUpDTO(followUp))
    }

    @Sendable func snooze(_ request: Request, context: AppRequestContext) async throws -> ContactRecordDTO {
        let member = try context.requireMember()
        let body = try await JSONBody.decode(SnoozeBody.self, from: request, context: context)
        return ContactRecordDTO(try await services.contacts.snooze(id(context), days: body.days, owner: member))
    }

    @Sendable func done(_ request: Request, context: AppRequestContext) async throws -> ContactRecordDTO {
        let member = try context.requireMember()
        return ContactRecordDTO(try await services.contacts.markInTouch(id(context), owner: member))
    }

    @Sendable func merge(_ request: Request, context: AppRequestContext) async throws -> ContactRecordDTO {
        let member = try context.requireMember()
        let body = try await JSONBody.decode(MergeBody.self, from: request, context: context)
        return ContactRecordDTO(try await services.contacts.merge(body.from ?? "", into: id(context), owner: member))
    }

    @Sendable func duplicates(_ request: Request, context: AppRequestContext) async throws -> DuplicatesDTO {
        let member = try context.requireMember()
        return DuplicatesDTO(items: try await services.contacts.duplicates(owner: member).map(DuplicatePairDTO.init))
    }

    @Sendable func followUps(_ request: Request, context: AppRequestContext) async throws -> ListDTO<FollowUpDTO> {
        let member = try context.requireMember()
        return ListDTO(items: try await services.contacts.openFollowUps(owner: member).map(FollowUpDTO.init), next: nil)
    }

    @Sendable func completeFollowUp(_ request: Request, context: AppRequestContext) async throws -> FollowUpDTO {
        let member = try context.requireMember()
        return FollowUpDTO(try await services.contacts.completeFollowUp(id(context), owner: member))
    }

    @Sendable func keepInTouch(_ request: Request, context: AppRequestContext) async throws -> KeepInTouchDTO {
        let member = try context.requireMember()
        return KeepInTouchDTO(try await services.contacts.keepInTouch(owner: member))
    }

    @Sendable func reciprocity(_ request: Request, context: AppRequestContext) async throws -> ReciprocityDTO {
        let member = try context.requireMember()
        return ReciprocityDTO(try await services.contacts.reciprocity(owner: member))
    }

    @Sendable func cadences(_ request: Request, context: AppRequestContext) async throws -> ListDTO<CadenceDTO> {
        let member = try context.requireMember()
        return ListDTO(items: try await services.contacts.tagCadences(owner: member).map(CadenceDTO.init), next: nil)
    }

    @Sendable func setCadence(_ request: Request, context: AppRequestContext) async throws -> CadenceDTO {
        let member = try context.requireMember()
        let body = try await JSONBody.decode(CadenceBody.self, from: request, context: context)
        return CadenceDTO(
            try await services.contacts.setTagCadence(
                tag: context.parameters.get("tag") ?? "",
                ideal: body.idealDays,
                maximum: body.maxDays,
                owner: member
            )
        )
    }

    @Sendable func deleteCadence(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let member = try context.requireMember()
        try await services.contacts.deleteTagCadence(tag: context.parameters.get("tag") ?? "", owner: member)
        return .noContent
    }

    /// A raw vCard / CSV body, or multipart/form-data with a `file` part; `format` may be given
    /// in the query or a form part, or is detected from the content.
    @Sendable func importFile(_ request: Request, context: AppRequestContext) async throws -> ImportReportDTO {
        let member = try context.requireMember()
        return try await services.contacts.importSlots.run {
            // The body is read into one Data and its buffer let go (it is not kept on the request),
            // so a 20 MB upload is not held twice while it is parsed.
            let body = try await request.body.collect(upTo: ContactService.importByteLimit)
            var file = Data(body.readableBytesView)
            let contentType = request.headers[.contentType] ?? ""
            var format = request.uri.queryParameters.get("format")
            if contentType.lowercased().hasPrefix("multipart/form-data") {
                guard let form = FormData(multipart: file, contentType: contentType), let part = form.bytes("file") else {
                    throw DomainError.invalid(field: "file", reason: "is required: send the file in a part named file")
                }
                file = part
                format = format ?? form["format"]
            }
            let report = try await services.contacts.importContacts(
                file,
                format: try ContactFileFormat.parse(format),
                owner: member
            )
            return ImportReportDTO(report: report)
        }
    }

    @Sendable func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let query = request.uri.queryParameters
        if let format = query.get("format"), !format.isEmpty, format != "vcard" {
            throw DomainError.invalid(field: "format", reason: "must be vcard")
        }
        let cards = try await services.contacts.exportVCards(owner: member, version: query.get("version"))
        return VCardDownload.response(cards)
    }

}

/// A vCard file as a download (API and page alike).
enum VCardDownload {
    static func response(_ cards: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/vcard; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"kith-contacts.vcf\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: cards)))
    }
}

// The domain's rules for each body's fields, for the OpenAPI document.
extension ContactsAPIController.ContactBody: FieldRules {
    static let rules: [String: FieldRule] = ["name": .maxLength(120), "cadence_days": .range(0...3650)]
}

extension ContactsAPIController.InteractionBody: FieldRules {
    static let rules: [String: FieldRule] = ["kind": .oneOf(InteractionKind.self), "help": .oneOf(HelpKind.self)]
    static let required: Set<String> = ["kind"]
}

extension ContactsAPIController.FollowUpBody: FieldRules {
    static let rules: [String: FieldRule] = ["due_at": .dateTime, "text": .text(max: 500)]
    static let required: Set<String> = ["due_at", "text"]
}

extension ContactsAPIController.SnoozeBody: FieldRules {
    static let rules: [String: FieldRule] = ["days": .range(1...365)]
    static let required: Set<String> = ["days"]
}

extension ContactsAPIController.MergeBody: FieldRules {
    static let rules: [String: FieldRule] = [:]
    static let required: Set<String> = ["from"]
}

extension ContactsAPIController.CadenceBody: FieldRules {
    static let rules: [String: FieldRule] = ["ideal_days": .range(1...3650), "max_days": .range(1...3650)]
    static let required: Set<String> = ["ideal_days"]
}

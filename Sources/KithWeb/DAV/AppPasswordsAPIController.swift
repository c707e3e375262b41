import Foundation
import Hummingbird
import KithDomain

/// App passwords over JSON: made (the password shown once), listed, revoked.
struct AppPasswordsAPIController {
    let services: Services
    let publicURL: String

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.on(DAVRoutes.API.create, use: create)
        router.on(DAVRoutes.API.list, use: list)
        router.on(DAVRoutes.API.revoke, use: revoke)
    }

    struct CreateBody: APIInput {
        var label: String?
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<NewAppPasswordDTO> {
        let member = try context.requireMember()
        let body = try await JSONBody.decode(CreateBody.self, from: request, context: context)
        let (made, password) = try await services.appPasswords.create(label: body.label, for: member)
        return EditedResponse(
            status: .created,
            response: NewAppPasswordDTO(
                id: made.id.description,
                label: made.label,
                password: password,
                username: member.handle.rawValue,
                davUrl: publicURL + "/dav/",
                createdAt: made.createdAt
            )
        )
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> ListDTO<AppPasswordDTO> {
        let items = try await services.appPasswords.list(of: try context.requireMember())
        return ListDTO(items: items.map(AppPasswordDTO.init), next: nil)
    }

    @Sendable func revoke(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        try await services.appPasswords.revoke(context.parameters.get("id") ?? "", of: try context.requireMember())
        return .noContent
    }
}

extension AppPasswordsAPIController.CreateBody: FieldRules {
    static let rules: [String: FieldRule] = ["label": .maxLength(60)]
    static let required: Set<String> = ["label"]
}

/// A new app password: the only time its text is ever shown.
struct NewAppPasswordDTO: APIOutput {
    var id: String
    var label: String
    var password: String
    /// What to type as the user name in the app (the email address works too).
    var username: String
    /// The server address to give the app.
    var davUrl: String
    var createdAt: Date
}

struct AppPasswordDTO: Codable, Sendable {
    var id: String
    var label: String
    var createdAt: Date
    @Nullable var lastUsedAt: Date?

    init(_ password: AppPassword) {
        id = password.id.description
        label = password.label
        createdAt = password.createdAt
        lastUsedAt = password.lastUsedAt
    }
}

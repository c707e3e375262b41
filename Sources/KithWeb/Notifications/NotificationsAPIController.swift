import Foundation
import Hummingbird
import KithDomain

/// The notification centre and choices over JSON.
struct NotificationsAPIController {
    let services: Services

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.on(NotificationRoutes.API.list, use: list)
        router.on(NotificationRoutes.API.markAllRead, use: markAllRead)
        router.on(NotificationRoutes.API.markRead, use: markRead)
        router.on(NotificationRoutes.API.settings, use: settings)
        router.on(NotificationRoutes.API.updateSettings, use: updateSettings)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> NotificationsDTO {
        let member = try context.requireMember()
        let unreadOnly = request.uri.queryParameters.get("unread") == "true"
        return NotificationsDTO(
            items: try await services.notifications.notifications(of: member, unreadOnly: unreadOnly).map(NotificationDTO.init),
            unread: try await services.notifications.unreadCount(of: member)
        )
    }

    @Sendable func markAllRead(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        try await services.notifications.markAllRead(of: try context.requireMember())
        return .noContent
    }

    @Sendable func markRead(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        try await services.notifications.markRead(context.parameters.get("id") ?? "", of: try context.requireMember())
        return .noContent
    }

    @Sendable func settings(_ request: Request, context: AppRequestContext) async throws -> NotificationSettingsDTO {
        NotificationSettingsDTO(try await services.notifications.settings(of: try context.requireMember()))
    }

    @Sendable func updateSettings(_ request: Request, context: AppRequestContext) async throws -> NotificationSettingsDTO {
        let member = try context.requireMember()
        let input = try await JSONBody.decode(NotificationSettingsInput.self, from: request, context: context)
        let changes = input.kinds.mapValues { (email: $0.email, inApp: $0.inApp) }
        return NotificationSettingsDTO(try await services.notifications.update(changes, of: member))
    }
}

/// `{KIND: {email?, in_app?}}`: the kinds are the object's keys.
struct NotificationSettingsInput: APIInput, SchemaDescribed {
    struct Choice: Codable, Sendable {
        var email: String?
        var inApp: Bool?
    }

    var kinds: [String: Choice]

    init(from decoder: any Decoder) throws {
        kinds = try decoder.singleValueContainer().decode([String: Choice].self)
    }

    init(kinds: [String: Choice]) {
        self.kinds = kinds
    }

    static func schema(_ reader: SchemaReader) -> JSONSchema {
        let choice: JSONSchema = [
            "type": "object", "additionalProperties": false,
            "properties": [
                "email": ["type": "string", "enum": EmailChoice.allCases.map(\.rawValue)], "in_app": ["type": "boolean"],
            ],
        ]
        return [
            "type": "object", "additionalProperties": false,
            "properties": Dictionary(uniqueKeysWithValues: NotificationKind.allCases.map { ($0.rawValue, choice) }),
        ]
    }

    static var placeholder: NotificationSettingsInput { NotificationSettingsInput(kinds: [:]) }
}

struct NotificationDTO: Codable, Sendable {
    var id: String
    var kind: NotificationKind
    var title: String
    var body: String
    /// `title` and `body` as one sentence (the contract's `text`).
    var text: String
    var link: String
    var url: String
    var createdAt: Date
    var read: Bool
    @Nullable var readAt: Date?

    init(_ notification: MemberNotification) {
        id = notification.id.description
        kind = notification.kind
        title = notification.title
        body = notification.body
        text = notification.body.isEmpty ? notification.title : "\(notification.title). \(notification.body)"
        link = notification.link
        url = notification.link
        createdAt = notification.createdAt
        read = notification.readAt != nil
        readAt = notification.readAt
    }
}

struct NotificationsDTO: APIOutput {
    var items: [NotificationDTO]
    var unread: Int
}

struct DeliveryDTO: Codable, Sendable {
    var email: EmailChoice
    var inApp: Bool
}

/// Every kind, with what the member chose or the default.
struct NotificationSettingsDTO: APIOutput, SchemaDescribed {
    var kinds: [String: DeliveryDTO]

    init(_ settings: NotificationSettings) {
        kinds = Dictionary(
            uniqueKeysWithValues: NotificationKind.allCases.map { kind in
                let delivery = settings.delivery(for: kind)
                return (kind.rawValue, DeliveryDTO(email: delivery.email, inApp: delivery.inApp))
            }
        )
    }

    init(from decoder: any Decoder) throws {
        kinds = try decoder.singleValueContainer().decode([String: DeliveryDTO].self)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(kinds)
    }

    static func schema(_ reader: SchemaReader) -> JSONSchema {
        let delivery = reader.schema(of: DeliveryDTO.self)
        return [
            "type": "object", "required": NotificationKind.allCases.map(\.rawValue),
            "properties": Dictionary(uniqueKeysWithValues: NotificationKind.allCases.map { ($0.rawValue, delivery) }),
        ]
    }

    static var placeholder: NotificationSettingsDTO { NotificationSettingsDTO(NotificationSettings()) }
}

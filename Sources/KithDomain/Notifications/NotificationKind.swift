public import Foundation

/// What a notification is about. Every notice Kith writes has one, and each member chooses per
/// kind how it reaches them (`Delivery`).
public enum NotificationKind: String, Sendable, Codable, CaseIterable {
    case message
    case connectionRequest = "connection_request"
    case introduction
    case ask
    case referral
    case mentorship
    case event
    case group
    case opportunity
    case keepInTouch = "keep_in_touch"
    /// The weekly networking plan email (the digest itself).
    case weeklyPlan = "weekly_plan"
    case security

    public var label: String {
        switch self {
        case .message: "Messages"
        case .connectionRequest: "Connection requests"
        case .introduction: "Introductions"
        case .ask: "Asks for help"
        case .referral: "Referrals"
        case .mentorship: "Mentorship"
        case .event: "Events"
        case .group: "Groups"
        case .opportunity: "Opportunities"
        case .keepInTouch: "Keep-in-touch reminders and follow-ups"
        case .weeklyPlan: "The weekly plan email"
        case .security: "Account security"
        }
    }

    /// The defaults: email at once only for what is addressed to the member and has a deadline
    /// (an introduction or referral waiting on them, a mentorship request, an event's place or
    /// change, a follow-up coming due) and for security, which is always sent; the rest waits for
    /// the weekly email. Everything shows in the app.
    public var defaultDelivery: Delivery {
        switch self {
        case .introduction, .referral, .mentorship, .event, .keepInTouch, .weeklyPlan, .security: Delivery(email: .immediate, inApp: true)
        case .message, .connectionRequest, .ask, .group, .opportunity: Delivery(email: .digest, inApp: true)
        }
    }

    /// Security email cannot be turned off or delayed.
    public var emailIsFixed: Bool { self == .security }

    /// The kind of a notice from its key (`message:…`, `follow-up:…`, …), for rows written before
    /// kinds were stored.
    public static func of(key: String) -> NotificationKind {
        let prefix = key.split(separator: ":").first.map(String.init) ?? key
        switch prefix {
        case "message": return .message
        case "follow-up", "keep-in-touch": return .keepInTouch
        case "event", "event-cancelled", "event-promoted", "reunion": return .event
        case "connection", "connection_accepted": return .connectionRequest
        default: return NotificationKind(rawValue: prefix) ?? .event
        }
    }
}

/// How a kind of notice reaches a member by email.
public enum EmailChoice: String, Sendable, Codable, CaseIterable {
    /// Its own email, as it happens.
    case immediate
    /// In the weekly email.
    case digest
    case off
}

public struct Delivery: Sendable, Equatable {
    public var email: EmailChoice
    public var inApp: Bool

    public init(email: EmailChoice, inApp: Bool) {
        self.email = email
        self.inApp = inApp
    }
}

/// A member's choices for every kind: what they stored over the defaults.
public struct NotificationSettings: Sendable, Equatable {
    public var stored: [NotificationKind: Delivery]

    public init(stored: [NotificationKind: Delivery] = [:]) {
        self.stored = stored
    }

    public func delivery(for kind: NotificationKind) -> Delivery {
        var delivery = stored[kind] ?? kind.defaultDelivery
        if kind.emailIsFixed { delivery.email = .immediate }
        return delivery
    }

    /// The kinds shown in the app.
    public var shownInApp: [NotificationKind] { NotificationKind.allCases.filter { delivery(for: $0).inApp } }

    /// A change asked for by kind name: `{kind: {email, in_app}}`, each part optional. Unknown kinds
    /// or values, and turning security email off, are refused naming the field.
    public func applying(_ changes: [String: (email: String?, inApp: Bool?)]) throws(DomainError) -> NotificationSettings {
        var check = Validation()
        var result = self
        for (name, change) in changes.sorted(by: { $0.key < $1.key }) {
            guard let kind = NotificationKind(rawValue: name) else {
                check.fail(
                    name,
                    "is not a kind of notification (one of: \(NotificationKind.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
                continue
            }
            var delivery = delivery(for: kind)
            if let raw = change.email {
                if let email = EmailChoice(rawValue: raw) {
                    if kind.emailIsFixed && email != .immediate {
                        check.fail("\(name).email", "cannot be changed: security email is always sent")
                    }
                    delivery.email = email
                } else {
                    check.fail("\(name).email", "must be one of: \(EmailChoice.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }
            if let inApp = change.inApp { delivery.inApp = inApp }
            result.stored[kind] = delivery
        }
        try check.throwIfFailed()
        return result
    }
}

/// Signed one-click unsubscribe links (RFC 8058): one per email, naming the member and the kind,
/// usable without signing in and only once.
public struct UnsubscribeLinks: Sendable {
    public struct Claim: Sendable, Equatable {
        public var member: Member.ID
        public var kind: NotificationKind
        public var mail: OutgoingMail.ID
    }

    private let secret: SecretOnce

    /// `secret` is asked for once, when the first link is made or checked.
    public init(secret: @escaping @Sendable () async throws -> String) {
        self.secret = SecretOnce(load: secret)
    }

    /// Sets the mail's one-click unsubscribe address, when its kind may be turned off.
    public func attach(to mail: inout OutgoingMail, publicURL: String, links: any PageLinks) async throws {
        guard let member = mail.memberID, !mail.kind.emailIsFixed else { return }
        mail.unsubscribeURL = publicURL + links.unsubscribe(try await token(member: member, kind: mail.kind, mail: mail.id))
    }

    public func token(member: Member.ID, kind: NotificationKind, mail: OutgoingMail.ID) async throws -> String {
        let payload = "\(member).\(kind.rawValue).\(mail)"
        return Self.base64URL(Data(payload.utf8)) + "." + (try await mac(payload))
    }

    /// The claim a token makes, if it is one this community signed.
    public func verify(_ token: String) async throws -> Claim? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard token.count <= 400, parts.count == 2, let data = Self.data(base64URL: String(parts[0])),
            let payload = String(data: data, encoding: .utf8), ConstantTime.equal(String(parts[1]), try await mac(payload))
        else { return nil }
        let fields = payload.split(separator: ".").map(String.init)
        guard fields.count == 3, let member = Member.ID(fields[0]), let kind = NotificationKind(rawValue: fields[1]),
            let mail = OutgoingMail.ID(fields[2])
        else { return nil }
        return Claim(member: member, kind: kind, mail: mail)
    }

    private func mac(_ payload: String) async throws -> String {
        Self.base64URL(HMACSHA256.code(for: Data(payload.utf8), key: Data(try await secret.value().utf8)))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func data(base64URL text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}

/// A secret loaded once and kept.
actor SecretOnce {
    private let load: @Sendable () async throws -> String
    private var loaded: String?

    init(load: @escaping @Sendable () async throws -> String) {
        self.load = load
    }

    func value() async throws -> String {
        if let loaded { return loaded }
        let value = try await load()
        loaded = value
        return value
    }
}

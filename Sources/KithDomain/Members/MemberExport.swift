public import Foundation

/// Everything Kith holds about one member, for `kith export` (data portability, GDPR art. 20).
/// Later capabilities add their sections here. It contains the member's own private data, so it
/// is produced only for the member themselves or by the operator on the command line.
public struct MemberExport: Sendable, Encodable {
    public struct Account: Sendable, Encodable {
        public var id: String
        public var email: String
        public var handle: String
        public var name: String
        public var role: String
        public var createdAt: Date
    }

    public struct ProfileData: Sendable, Encodable {
        public var headline: String
        public var bio: String
        public var location: String
        public var industry: String
        public var careerStage: String?
        public var skills: [String]
        public var interests: [String]
        public var openTo: [String]
        public var website: String
        public var phone: String
        public var visibility: [String: String]
        public var updatedAt: Date
    }

    public struct AffiliationData: Sendable, Encodable {
        public var id: String
        public var kind: String
        public var organization: String
        public var title: String
        public var cohort: String
        public var startYear: Int?
        public var endYear: Int?
    }

    /// One contact of the member's own relationship manager, with its timeline and follow-ups.
    public struct ContactData: Sendable, Encodable {
        public var id: String
        public var name: String
        public var memberHandle: String?
        public var emails: [String]
        public var phones: [String]
        public var organization: String
        public var title: String
        public var howWeMet: String
        public var tags: [String]
        public var notes: String
        public var cadenceDays: Int?
        public var createdAt: Date
        public var interactions: [InteractionData]
        public var followUps: [FollowUpData]
    }

    public struct InteractionData: Sendable, Encodable {
        public var kind: String
        public var help: String?
        public var occurredAt: Date
        public var note: String
    }

    public struct FollowUpData: Sendable, Encodable {
        public var dueAt: Date
        public var text: String
        public var doneAt: Date?
    }

    public var exportedAt: Date
    public var account: Account
    public var profile: ProfileData
    public var affiliations: [AffiliationData]
    public var blockedHandles: [String]
    public var apiTokens: [APITokenInfo]
    /// The member's own contacts. Nobody else's relationship manager ever appears here, even
    /// when it holds a contact linked to this member.
    public var contacts: [ContactData]
    /// The member's conversations with the messages they can see (one who left a group sees
    /// what was said until then). Conversations the member is not in never appear.
    public var conversations: [ConversationData]

    /// Introductions (and later other asks) the member made or that reached them, as they may
    /// see them: the asker's own read "closed" whoever passed; one not yet forwarded to them never appears.
    public var asks: [AskData]
    /// The member's own looking-for-work signal and its circle (handles), if they ever set one.
    public var looking: LookingData?
    /// App passwords for contacts and calendar apps: labels and uses, never the passwords.
    public var appPasswords: [AppPasswordData] = []

    public struct AppPasswordData: Sendable, Encodable {
        public var label: String
        public var createdAt: Date
        public var lastUsedAt: Date?
    }

    public struct LookingData: Sendable, Encodable {
        public var active: Bool
        public var roles: [String]
        public var locations: [String]
        public var circle: [String]
        public var updatedAt: Date
    }

    public struct AskData: Sendable, Encodable {
        public var id: String
        public var kind: String
        public var role: String
        public var status: String
        public var purpose: String
        public var asker: String?
        public var route: [String]
        public var blurb: String
        public var ask: String
        public var notes: [String]
        public var createdAt: Date
        public var outcome: String?
    }

    public struct ConversationData: Sendable, Encodable {
        public var id: String
        public var kind: String
        /// The member's place in it: active, request, ignored or left.
        public var state: String
        public var participants: [String]
        public var startedAt: Date
        public var messages: [MessageData]
    }

    public struct MessageData: Sendable, Encodable {
        public var author: String?
        public var sentAt: Date
        public var body: String
    }
}

public struct ExportService: Sendable {
    private let members: any MemberRepository
    private let profiles: any ProfileRepository
    private let blocks: any BlockRepository
    private let credentials: any CredentialRepository
    private let contacts: any ContactRepository
    private let conversations: any ConversationRepository
    private let asks: any AskRepository
    private let looking: any LookingRepository
    private let appPasswords: (any AppPasswordRepository)?
    private let now: @Sendable () -> Date

    public init(
        members: any MemberRepository,
        profiles: any ProfileRepository,
        blocks: any BlockRepository,
        credentials: any CredentialRepository,
        contacts: any ContactRepository,
        conversations: any ConversationRepository,
        asks: any AskRepository,
        looking: any LookingRepository,
        appPasswords: (any AppPasswordRepository)? = nil,
        now: @escaping @Sendable () -> Date
    ) {
        self.appPasswords = appPasswords
        self.asks = asks
        self.looking = looking
        self.contacts = contacts
        self.conversations = conversations
        self.members = members
        self.profiles = profiles
        self.blocks = blocks
        self.credentials = credentials
        self.now = now
    }

    public func export(handle raw: String) async throws -> MemberExport {
        guard let handle = try? Handle(raw), let member = try await members.member(handle: handle) else {
            throw DomainError.notFound("member")
        }
        return try await export(member)
    }

    private func contactData(of member: Member) async throws -> [MemberExport.ContactData] {
        let interactions = Dictionary(grouping: try await contacts.allInteractions(of: member.id), by: \.contactID)
        let followUps = Dictionary(
            grouping: try await contacts.followUps(of: member.id, contact: nil, includeDone: true),
            by: \.contactID
        )
        var result: [MemberExport.ContactData] = []
        for contact in try await contacts.allContacts(of: member.id) {
            var handle: String?
            if let id = contact.memberID { handle = try await members.member(id: id)?.handle.rawValue }
            result.append(
                .init(
                    id: contact.id.description,
                    name: contact.name,
                    memberHandle: handle,
                    emails: contact.emails,
                    phones: contact.phones,
                    organization: contact.organization,
                    title: contact.title,
                    howWeMet: contact.howWeMet,
                    tags: contact.tags,
                    notes: contact.notes,
                    cadenceDays: contact.cadenceDays,
                    createdAt: contact.createdAt,
                    interactions: (interactions[contact.id] ?? []).map {
                        .init(kind: $0.kind.rawValue, help: $0.help?.rawValue, occurredAt: $0.occurredAt, note: $0.note)
                    },
                    followUps: (followUps[contact.id] ?? []).map { .init(dueAt: $0.dueAt, text: $0.text, doneAt: $0.doneAt) }
                )
            )
        }
        return result
    }

    private func conversationData(of member: Member) async throws -> [MemberExport.ConversationData] {
        var entries: [ConversationEntry] = []
        var after: [String]?
        while true {
            let page = try await conversations.conversations(of: member.id, in: ParticipantState.allCases, after: after, limit: 200)
            entries += page
            guard page.count == 200, let last = page.last else { break }
            after = try Cursor.decode(last.cursor, parts: 2, numericFirst: true)
        }
        let participants = try await conversations.participants(of: entries.map(\.conversation.id))
        let people = try await conversations.members(participants.values.flatMap { $0.map(\.member) })
        var result: [MemberExport.ConversationData] = []
        for entry in entries {
            // One who left sees what was said until then; everyone else, all of it.
            let end = entry.mine.state == .left ? entry.mine.readSequence : Int64.max
            var messages: [ChatMessage] = []
            var sequence: Int64 = 0
            while true {
                let batch = try await conversations.messages(in: entry.conversation.id, after: sequence, limit: 500)
                messages += batch.filter { $0.sequence <= end }
                guard batch.count == 500, let last = batch.last, last.sequence < end else { break }
                sequence = last.sequence
            }
            result.append(
                .init(
                    id: entry.conversation.id.description,
                    kind: entry.conversation.kind.rawValue,
                    state: entry.mine.state.rawValue,
                    participants: (participants[entry.conversation.id] ?? []).compactMap { people[$0.member]?.handle.rawValue },
                    startedAt: entry.conversation.createdAt,
                    messages: messages.map { .init(author: people[$0.author]?.handle.rawValue, sentAt: $0.sentAt, body: $0.body) }
                )
            )
        }
        return result
    }

    private func askData(of member: Member) async throws -> [MemberExport.AskData] {
        var result: [MemberExport.AskData] = []
        for kind in AskKind.allCases {
            for role in AskRole.allCases {
                for ask in try await asks.asks(of: member.id, kind: kind, role: role, limit: 10_000) {
                    guard let status = ask.status(seenBy: member.id) else { continue }
                    var handles: [Member.ID: String] = [:]
                    for id in [ask.asker] + ask.route { handles[id] = try await members.member(id: id)?.handle.rawValue }
                    let isAsker = member.id == ask.asker
                    result.append(
                        .init(
                            id: ask.id.description,
                            kind: kind.rawValue,
                            role: isAsker
                                ? "asker"
                                : kind != .introduction ? "addressee" : ask.route.first == member.id ? "connector" : "target",
                            status: status.rawValue,
                            purpose: ask.purpose,
                            asker: handles[ask.asker],
                            route: ask.route.compactMap { handles[$0] },
                            blurb: ask.blurb,
                            ask: ask.request,
                            notes: isAsker && ask.stage != .accepted ? [] : ask.notes.map(\.text),
                            createdAt: ask.createdAt,
                            outcome: isAsker ? ask.outcome?.rawValue : nil
                        )
                    )
                }
            }
        }
        return result
    }

    private func lookingData(of member: Member) async throws -> MemberExport.LookingData? {
        guard let signal = try await looking.signal(of: member.id) else { return nil }
        var circle: [String] = []
        for id in signal.circle { if let person = try await members.member(id: id) { circle.append(person.handle.rawValue) } }
        return .init(active: signal.active, roles: signal.roles, locations: signal.locations, circle: circle, updatedAt: signal.updatedAt)
    }

    public func export(_ member: Member) async throws -> MemberExport {
        let profile = try await profiles.profile(of: member.id) ?? Profile(memberID: member.id, updatedAt: member.createdAt)
        let affiliations = try await profiles.affiliations(of: member.id)
        return MemberExport(
            exportedAt: now(),
            account: .init(
                id: member.id.description,
                email: member.email.rawValue,
                handle: member.handle.rawValue,
                name: member.name,
                role: member.role.rawValue,
                createdAt: member.createdAt
            ),
            profile: .init(
                headline: profile.headline,
                bio: profile.bio,
                location: profile.location,
                industry: profile.industry,
                careerStage: profile.careerStage?.rawValue,
                skills: profile.skills,
                interests: profile.interests,
                openTo: profile.openTo.sorted().map(\.rawValue),
                website: profile.website,
                phone: profile.phone,
                visibility: Dictionary(
                    uniqueKeysWithValues: ProfileSection.allCases.map { ($0.rawValue, profile.visibility(of: $0).rawValue) }
                ),
                updatedAt: profile.updatedAt
            ),
            affiliations: affiliations.map {
                .init(
                    id: $0.id.description,
                    kind: $0.kind.rawValue,
                    organization: $0.organization,
                    title: $0.title,
                    cohort: $0.cohort,
                    startYear: $0.startYear,
                    endYear: $0.endYear
                )
            },
            blockedHandles: try await blocks.blocked(by: member.id).map(\.handle.rawValue),
            apiTokens: try await credentials.tokens(of: member.id),
            contacts: try await contactData(of: member),
            conversations: try await conversationData(of: member),
            asks: try await askData(of: member),
            looking: try await lookingData(of: member),
            appPasswords: try await appPasswords?.appPasswords(of: member.id).map {
                .init(label: $0.label, createdAt: $0.createdAt, lastUsedAt: $0.lastUsedAt)
            } ?? []
        )
    }
}

public import Foundation

/// What an introduction is for (the asker says; the connector and the target read it).
public enum IntroductionPurpose: String, Sendable, Codable, CaseIterable {
    case advice, referral, hiring, mentorship, collaboration, other
}

/// Which of a member's introductions to list: those they asked for, those they are asked to
/// make, and those made to them (only once forwarded).
public enum IntroductionRole: String, Sendable, Codable, CaseIterable {
    case asker, connector, target
}

/// An introduction as one viewer may see it.
public struct IntroductionView: Sendable {
    public var ask: Ask
    public var status: AskStatus
    public var asker: Member
    public var connector: Member
    public var target: Member

    /// The conversation of three an accepted introduction opened (it carries the introduction's id).
    public var conversation: Conversation.ID? { ask.stage == .accepted ? Conversation.ID(ask.id.rawValue) : nil }

    /// When the viewer's part lapses: for whoever holds it, their step's deadline; for the asker,
    /// the latest it can be answered (never how far it has gone); nil once it is closed.
    public func answerBy(for viewer: Member.ID) -> Date? {
        guard ask.isOpen else { return nil }
        return viewer == ask.asker ? ask.answerBy : ask.deadline
    }

    /// The notes the viewer may read: those written before the ask reached them (a connector's
    /// note is for the target), never to the asker — "forwarded with a note" would say how far it went.
    public func notes(for viewer: Member.ID) -> [AskNote] {
        guard viewer != ask.asker || ask.stage == .accepted else { return [] }
        return ask.notes
    }
}

/// What the connector sees, privately, beside an introduction they are asked to make: how they
/// know each side — the graph's tie strength and, from their own relationship manager, the
/// give-and-take ("you have helped Dana twice; Dana has helped you once"). Never shown to anyone else.
public struct BrokerContext: Sendable, Equatable {
    public var askerTie: UInt8?
    public var targetTie: UInt8?
    /// Nil when the connector keeps no contact for that person.
    public var askerLedger: LedgerEntry?
    public var targetLedger: LedgerEntry?
}

/// Double opt-in introductions on the ask mechanism: the asker picks a connector who knows both,
/// the connector forwards (with a note), asks for more or passes, the target — who sees nothing
/// until it is forwarded — accepts or passes; on acceptance a conversation of three opens with the
/// blurb. Whoever passes, and if nobody answers in time, the asker reads "not this time".
public struct IntroductionService: Sendable {
    /// The forwardable part, the specific ask, and a note on the way (characters).
    public static let blurbLimit = 600
    public static let askLimit = 200
    public static let noteLimit = 600

    private let asks: any AskRepository
    private let members: any MemberRepository
    private let blocks: any BlockRepository
    private let graph: NetworkGraph
    private let messages: MessageService
    private let contacts: ContactService
    private let connections: any ConnectionRepository
    private let links: any PageLinks
    private let caps: AskCaps
    private let now: @Sendable () -> Date

    public init(
        asks: any AskRepository,
        members: any MemberRepository,
        blocks: any BlockRepository,
        graph: NetworkGraph,
        messages: MessageService,
        contacts: ContactService,
        connections: any ConnectionRepository,
        links: any PageLinks,
        caps: AskCaps = .standard(for: .introduction),
        now: @escaping @Sendable () -> Date
    ) {
        self.asks = asks
        self.members = members
        self.blocks = blocks
        self.graph = graph
        self.messages = messages
        self.contacts = contacts
        self.connections = connections
        self.links = links
        self.caps = caps
        self.now = now
    }

    /// Asks `via` to introduce the asker to `target`.
    public func request(
        target rawTarget: String?,
        via rawVia: String?,
        purpose rawPurpose: String?,
        blurb rawBlurb: String?,
        ask rawAsk: String?,
        by asker: Member
    ) async throws -> IntroductionView {
        var check = Validation()
        let purpose = check.capture { try Choice.parse(rawPurpose, field: "purpose", as: IntroductionPurpose.self) }
        let blurb = check.capture { try Text.clean(rawBlurb ?? "", field: "blurb", max: Self.blurbLimit, min: 1, multiline: true) }
        let request = check.capture { try Text.clean(rawAsk ?? "", field: "ask", max: Self.askLimit, min: 1, multiline: true) }
        if rawTarget?.isEmpty ?? true { check.fail("target", "must name a member") }
        if rawVia?.isEmpty ?? true { check.fail("via", "must name a member you are connected with") }
        try check.throwIfFailed()
        // Both members in one read and every block among the three in another: this is the
        // request members make most often under load (docs/BENCHMARKS.md, Asks).
        let handles = [rawTarget ?? "", rawVia ?? ""].map { try? Handle($0) }
        let found = try await members.members(handles: handles.compactMap { $0 })
        guard let target = handles[0].flatMap({ found[$0] }), let connector = handles[1].flatMap({ found[$0] }) else {
            throw DomainError.notFound("member")
        }
        let blocked = try await blocks.blocks(among: [asker.id, target.id, connector.id])
        guard !blocked.between(target.id, asker.id), !blocked.between(connector.id, asker.id) else {
            throw DomainError.notFound("member")
        }
        guard target.id != asker.id else { throw DomainError.invalid(field: "target", reason: "cannot be yourself") }
        guard connector.id != asker.id, connector.id != target.id else {
            throw DomainError.invalid(field: "via", reason: "must be someone other than you and the person you want to meet")
        }
        if try await graph.tieStrength(asker.id, target.id) != nil {
            throw DomainError.conflict(field: "target", message: "You are already connected with \(target.name): write to them directly.")
        }
        guard try await graph.tieStrength(asker.id, connector.id) != nil, try await graph.tieStrength(connector.id, target.id) != nil else {
            throw DomainError.invalid(field: "via", reason: "must be connected with both you and \(target.name)")
        }
        if blocked.between(connector.id, target.id) {
            throw DomainError.invalid(field: "via", reason: "must be connected with both you and \(target.name)")
        }
        let moment = now()
        let ask = Ask(
            id: .make(at: moment),
            kind: .introduction,
            asker: asker.id,
            route: [connector.id, target.id],
            purpose: purpose!.rawValue,
            blurb: blurb!,
            request: request!,
            at: moment
        )
        let caps = caps
        try await asks.create(
            ask,
            admit: { load in try caps.check(load, kind: .introduction, route: [("via", connector.id)], at: moment) },
            notices: [
                Notice(
                    member: connector.id,
                    kind: .introduction,
                    key: "introduction:\(ask.id):0",
                    title: "\(asker.name) asks you for an introduction to \(target.name)",
                    body: "Forward it with a note, ask for more, or pass — \(asker.name) will only ever read “not this time”.",
                    link: links.introduction(ask.id)
                )
            ]
        )
        return IntroductionView(ask: ask, status: .requested, asker: asker, connector: connector, target: target)
    }

    /// The connector sends it on to the target, who sees it for the first time.
    public func forward(_ rawID: String, note rawNote: String?, by connector: Member) async throws -> IntroductionView {
        let current = try await visible(rawID, to: connector)
        let note = try Text.clean(rawNote ?? "", field: "note", max: Self.noteLimit, multiline: true)
        let target = current.target
        let availability = try await asks.availability(of: target.id, kind: .introduction)
        if let until = availability.pausedUntil, until > now() {
            throw DomainError.conflict(field: nil, message: "\(target.name) is not taking introductions just now. You can pass instead.")
        }
        let moment = now()
        let links = links
        let asker = current.asker
        return try await change(current, for: connector, at: moment) { ask in
            try ask.forward(by: connector.id, note: note, at: moment)
            return [
                Notice(
                    member: target.id,
                    kind: .introduction,
                    key: "introduction:\(ask.id):1",
                    title: "\(connector.name) would like to introduce you to \(asker.name)",
                    body: "Accept to start a conversation of three, or pass — nobody is told.",
                    link: links.introduction(ask.id)
                )
            ]
        }
    }

    /// The holder declines, quietly.
    public func pass(_ rawID: String, by member: Member) async throws -> IntroductionView {
        let moment = now()
        let links = links
        return try await change(rawID, by: member, at: moment) { ask in
            try ask.pass(by: member.id, at: moment)
            return [Self.closedNotice(ask.id, to: ask.asker, links: links)]
        }
    }

    /// The target says yes: the conversation of three opens with the blurb.
    public func accept(_ rawID: String, by target: Member) async throws -> (IntroductionView, Conversation.ID) {
        let current = try await visible(rawID, to: target)
        let moment = now()
        let links = links
        let accepted = try await change(current, for: target, at: moment) { ask in
            try ask.accept(by: target.id, at: moment)
            return [current.asker, current.connector].map { member in
                Notice(
                    member: member.id,
                    kind: .introduction,
                    key: "introduction:\(ask.id):accepted:\(member.id)",
                    title: "\(target.name) accepted the introduction",
                    body: "A conversation of three is open.",
                    link: links.introduction(ask.id)
                )
            }
        }
        let conversation = try await messages.openIntroduction(
            Conversation.ID(current.ask.id.rawValue),
            by: current.connector,
            with: [current.asker, target],
            body:
                "\(current.asker.name), meet \(target.name); \(target.name), meet \(current.asker.name).\n\n\(current.ask.blurb)\n\n\(current.ask.request)"
        )
        return (accepted, conversation)
    }

    /// The asker takes it back while it is open.
    public func withdraw(_ rawID: String, by asker: Member) async throws -> IntroductionView {
        let moment = now()
        return try await change(rawID, by: asker, at: moment) { ask in
            try ask.withdraw(by: asker.id, at: moment)
            return []
        }
    }

    /// The asker says what came of it. Time together ("met", "helped", "hired") is logged in each
    /// party's own relationship manager where they keep a contact for the other — a meeting for
    /// the asker and the target, help received from the connector for the asker, an introduction
    /// made for the connector — strengthens the ties the introduction used, and reminds the asker
    /// to thank the connector.
    public func record(
        _ rawOutcome: String?,
        note rawNote: String? = nil,
        on rawID: String,
        by asker: Member
    ) async throws
        -> IntroductionView
    {
        let current = try await visible(rawID, to: asker)
        let outcome = try Choice.parse(rawOutcome, field: "outcome", as: AskOutcome.self)
        let note = try Text.clean(rawNote ?? "", field: "note", max: Self.noteLimit, multiline: true)
        let moment = now()
        let links = links
        let connector = current.connector
        let recorded = try await change(current, for: asker, at: moment) { ask in
            try ask.record(outcome, by: asker.id)
            guard outcome.metUp else { return [] }
            return [
                Notice(
                    member: asker.id,
                    kind: .introduction,
                    key: "introduction:\(ask.id):thank",
                    title: "Thank \(connector.name) for the introduction",
                    body: "A short note about how it went means a lot to the person who made it.",
                    link: links.member(connector.handle)
                )
            ]
        }
        guard outcome.metUp else { return recorded }
        let (target, purpose) = (current.target, current.ask.purpose)
        let said = note.isEmpty ? "" : " — \(note)"
        _ = try await contacts.logSeen(.meeting, with: target.id, note: "Met through \(connector.name)'s introduction\(said)", owner: asker)
        _ = try await contacts.logSeen(
            .helpReceived,
            help: .intro,
            with: connector.id,
            note: "Introduced you to \(target.name) (\(purpose))",
            owner: asker
        )
        _ = try await contacts.logSeen(.meeting, with: asker.id, note: "Met through \(connector.name)'s introduction", owner: target)
        _ = try await contacts.logSeen(
            .introMade,
            help: .intro,
            with: asker.id,
            note: "Introduced them to \(target.name) (\(purpose))",
            owner: connector
        )
        // The ties the introduction used are shared evidence among the three: each grows.
        for (a, b) in [(asker.id, connector.id), (connector.id, target.id), (asker.id, target.id)] {
            _ = try await connections.strengthen(a, b, by: Self.introducedStrength, now: moment)
        }
        try await graph.catchUp()
        return recorded
    }

    /// How much an introduction that led somewhere adds to each tie it used (new ties start at 30).
    static let introducedStrength: UInt8 = 10

    /// The connector asks the asker for more before deciding: a message in their conversation
    /// (they are connected, so it is never a message request). The ask stays with the connector.
    public func askForMore(_ rawID: String, question rawQuestion: String?, by connector: Member) async throws -> Conversation.ID {
        let current = try await visible(rawID, to: connector)
        guard current.ask.holder == connector.id, current.ask.step == 0 else {
            throw DomainError.conflict(
                field: nil,
                message: "Only the person asked to make the introduction can ask for more, while it is with them."
            )
        }
        let question = try Text.clean(rawQuestion ?? "", field: "question", max: 2_000, min: 1, multiline: true)
        let summary = try await messages.start(
            to: [current.asker.handle.rawValue],
            body: "About your introduction to \(current.target.name): \(question)",
            by: connector
        )
        return summary.conversation.id
    }

    /// What the connector sees, privately, beside an introduction they are asked to make.
    public func brokerContext(_ view: IntroductionView, for connector: Member) async throws -> BrokerContext? {
        guard view.connector.id == connector.id else { return nil }
        return BrokerContext(
            askerTie: try await graph.tieStrength(connector.id, view.asker.id),
            targetTie: try await graph.tieStrength(connector.id, view.target.id),
            askerLedger: try await contacts.ledger(with: view.asker.id, owner: connector),
            targetLedger: try await contacts.ledger(with: view.target.id, owner: connector)
        )
    }

    /// One introduction as `member` may see it.
    public func introduction(_ rawID: String, for member: Member) async throws -> IntroductionView {
        try await visible(rawID, to: member)
    }

    /// What the member set for introductions reaching them.
    public func availability(of member: Member) async throws -> AskAvailability {
        try await asks.availability(of: member.id, kind: .introduction)
    }

    /// At most `monthlyLimit` a month (1–100, or none), and none until `pausedUntil` (a date, or none).
    public func setAvailability(
        monthlyLimit rawLimit: String?,
        pausedUntil rawUntil: String?,
        for member: Member
    ) async throws
        -> AskAvailability
    {
        var check = Validation()
        var limit: Int?
        if let raw = rawLimit?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            if let value = Int(raw), (1...100).contains(value) {
                limit = value
            } else {
                check.fail("monthly_limit", "must be a whole number from 1 to 100, or empty for no limit")
            }
        }
        var until: Date?
        if let raw = rawUntil?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            if let parsed = check.capture({ try Moment.parse(raw, field: "paused_until") }) ?? nil {
                if parsed > now().addingTimeInterval(366 * 86_400) {
                    check.fail("paused_until", "must be within a year")
                } else {
                    until = parsed
                }
            }
        }
        try check.throwIfFailed()
        let availability = AskAvailability(monthlyLimit: limit, pausedUntil: until.flatMap { $0 > now() ? $0 : nil })
        try await asks.setAvailability(availability, of: member.id, kind: .introduction)
        return availability
    }

    /// The member's introductions in one role, as they may see them, most recent first.
    public func list(role: IntroductionRole, of member: Member, limit: Int = 50) async throws -> [IntroductionView] {
        var views: [IntroductionView] = []
        let stored = try await asks.asks(of: member.id, kind: .introduction, role: role == .asker ? .asker : .addressee, limit: limit * 2)
        for ask in stored {
            switch role {
            case .asker: break
            case .connector: guard ask.route.first == member.id else { continue }
            case .target: guard ask.route.last == member.id else { continue }
            }
            if let view = try await view(ask, for: member) { views.append(view) }
            if views.count == limit { break }
        }
        return views
    }

    /// Introductions waiting for the member's answer (to make, or made to them), oldest deadline first.
    public func waiting(for member: Member) async throws -> [IntroductionView] {
        let toMake = try await list(role: .connector, of: member)
        let toMe = try await list(role: .target, of: member)
        return (toMake + toMe).filter { $0.status == .waitingForYou }.sorted { $0.ask.deadline < $1.ask.deadline }
    }

    /// Expires lapsed steps (the asker reads "not this time") and nudges holders due a reminder.
    /// Run by the leased job runner.
    public func attend() async throws -> (expired: Int, nudged: Int) {
        let moment = now()
        var expired = 0
        var nudged = 0
        for ask in try await asks.needingAttention(at: moment, limit: 500) where ask.kind == .introduction {
            guard let asker = try await members.member(id: ask.asker), let holder = ask.holder,
                let holderMember = try await members.member(id: holder)
            else { continue }
            let links = links
            let closed = Self.closedNotice(ask.id, to: asker.id, links: links)
            let changed = try await asks.update(ask.id, at: moment) { ask in
                if ask.expire(at: moment) { return [closed] }
                guard ask.needsNudge(at: moment) else { return [] }
                ask.nudgedAt = moment
                return [
                    Notice(
                        member: holderMember.id,
                        kind: .introduction,
                        key: "introduction:\(ask.id):nudge:\(ask.step)",
                        title: "An introduction is waiting for your answer",
                        body: "\(asker.name) is waiting; it closes in three days.",
                        link: links.introduction(ask.id)
                    )
                ]
            }
            if changed?.stage == .expired { expired += 1 } else if changed?.nudgedAt == moment { nudged += 1 }
        }
        return (expired, nudged)
    }

    // MARK: - Helpers

    /// The introduction if `member` may see it, else "not found".
    private func visible(_ rawID: String, to member: Member) async throws -> IntroductionView {
        guard let id = Ask.ID(rawID), let ask = try await asks.ask(id), ask.kind == .introduction,
            let view = try await view(ask, for: member)
        else { throw DomainError.notFound("introduction") }
        return view
    }

    private func view(_ ask: Ask, for member: Member) async throws -> IntroductionView? {
        guard let status = ask.status(seenBy: member.id), ask.route.count == 2 else { return nil }
        let people = try await members.members(ids: [ask.asker] + ask.route)
        guard let asker = people[ask.asker], let connector = people[ask.route[0]], let target = people[ask.route[1]] else {
            return nil
        }
        return IntroductionView(ask: ask, status: status, asker: asker, connector: connector, target: target)
    }

    /// A change that needs nothing read before it: whether `member` may see the introduction is
    /// checked inside the write, on the row it locks (one write and one read of the three members).
    private func change(
        _ rawID: String,
        by member: Member,
        at moment: Date,
        _ transition: @escaping @Sendable (inout Ask) throws -> [Notice]
    ) async throws -> IntroductionView {
        let viewer = member.id
        guard let id = Ask.ID(rawID),
            let changed = try await asks.update(
                id,
                at: moment,
                { ask in
                    guard ask.kind == .introduction, ask.route.count == 2, ask.status(seenBy: viewer) != nil else {
                        throw DomainError.notFound("introduction")
                    }
                    return try transition(&ask)
                }
            )
        else { throw DomainError.notFound("introduction") }
        // Whoever could see it before the change still sees it after (as closed, at least).
        guard let view = try await view(changed, for: member) else { throw DomainError.notFound("introduction") }
        return view
    }

    private func change(
        _ current: IntroductionView,
        for viewer: Member,
        at moment: Date,
        _ transition: @escaping @Sendable (inout Ask) throws -> [Notice]
    ) async throws -> IntroductionView {
        guard let changed = try await asks.update(current.ask.id, at: moment, transition) else {
            throw DomainError.notFound("introduction")
        }
        var view = current
        view.ask = changed
        view.status = changed.status(seenBy: viewer.id) ?? .closed
        return view
    }

    /// What the asker reads when it closes — the same whoever passed, or if nobody answered.
    static func closedNotice(_ id: Ask.ID, to asker: Member.ID, links: any PageLinks) -> Notice {
        Notice(
            member: asker,
            kind: .introduction,
            key: "introduction:\(id):closed",
            title: "Your introduction: not this time",
            body: "It did not go ahead. Another path, or an ask to the community, may.",
            link: links.introduction(id)
        )
    }
}

public import Foundation

/// What an introduction is for (the asker says; the connector and the target read it).
public enum IntroductionPurpose: String, Sendable, Codable, CaseIterable {
    case advice, referral, hiring, mentorship, collaboration, other
}

/// An introduction as one viewer may see it.
public struct IntroductionView: Sendable {
    public var ask: Ask
    public var status: AskStatus
    public var asker: Member
    public var connector: Member
    public var target: Member
}

/// Double opt-in introductions on the ask mechanism: the asker picks a connector who knows both,
/// the connector forwards (with a note), asks for more or passes, the target — who sees nothing
/// until it is forwarded — accepts or passes; on acceptance a conversation of three opens with the
/// blurb. Whoever passes, and if nobody answers in time, the asker reads "not this time".
public struct IntroductionService: Sendable {
    private let asks: any AskRepository
    private let members: any MemberRepository
    private let blocks: any BlockRepository
    private let graph: NetworkGraph
    private let messages: MessageService
    private let links: any PageLinks
    private let caps: AskCaps
    private let now: @Sendable () -> Date

    public init(
        asks: any AskRepository,
        members: any MemberRepository,
        blocks: any BlockRepository,
        graph: NetworkGraph,
        messages: MessageService,
        links: any PageLinks,
        caps: AskCaps = .standard(for: .introduction),
        now: @escaping @Sendable () -> Date
    ) {
        self.asks = asks
        self.members = members
        self.blocks = blocks
        self.graph = graph
        self.messages = messages
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
        let purpose = check.capture { () throws(DomainError) -> IntroductionPurpose in
            guard let value = rawPurpose.flatMap(IntroductionPurpose.init(rawValue:)) else {
                throw .invalid(
                    field: "purpose",
                    reason: "must be one of: \(IntroductionPurpose.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            return value
        }
        let blurb = check.capture { try Text.clean(rawBlurb ?? "", field: "blurb", max: 600, min: 1, multiline: true) }
        let request = check.capture { try Text.clean(rawAsk ?? "", field: "ask", max: 200, min: 1, multiline: true) }
        if rawTarget?.isEmpty ?? true { check.fail("target", "must name a member") }
        if rawVia?.isEmpty ?? true { check.fail("via", "must name a member you are connected with") }
        try check.throwIfFailed()
        let target = try await reachable(rawTarget ?? "", from: asker)
        let connector = try await reachable(rawVia ?? "", from: asker)
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
        if try await blocks.isBlocked(between: connector.id, and: target.id) {
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
            notice: Notice(
                member: connector.id,
                kind: .introduction,
                key: "introduction:\(ask.id):0",
                title: "\(asker.name) asks you for an introduction to \(target.name)",
                body: "Forward it with a note, ask for more, or pass — \(asker.name) will only ever read “not this time”.",
                link: links.introduction(ask.id)
            )
        )
        return IntroductionView(ask: ask, status: .requested, asker: asker, connector: connector, target: target)
    }

    /// The connector sends it on to the target, who sees it for the first time.
    public func forward(_ rawID: String, note rawNote: String?, by connector: Member) async throws -> IntroductionView {
        let note = try Text.clean(rawNote ?? "", field: "note", max: 600, multiline: true)
        let current = try await visible(rawID, to: connector)
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
        let current = try await visible(rawID, to: member)
        let moment = now()
        let notice = Self.closedNotice(current.ask.id, to: current.asker.id, links: links)
        return try await change(current, for: member, at: moment) { ask in
            try ask.pass(by: member.id, at: moment)
            return [notice]
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
            by: current.connector,
            with: [current.asker, target],
            body:
                "\(current.asker.name), meet \(target.name); \(target.name), meet \(current.asker.name).\n\n\(current.ask.blurb)\n\n\(current.ask.request)"
        )
        return (accepted, conversation)
    }

    /// The asker takes it back while it is open.
    public func withdraw(_ rawID: String, by asker: Member) async throws -> IntroductionView {
        let current = try await visible(rawID, to: asker)
        let moment = now()
        return try await change(current, for: asker, at: moment) { ask in
            try ask.withdraw(by: asker.id, at: moment)
            return []
        }
    }

    /// The asker says what came of it.
    public func record(_ rawOutcome: String?, on rawID: String, by asker: Member) async throws -> IntroductionView {
        guard let outcome = rawOutcome.flatMap(AskOutcome.init(rawValue:)) else {
            throw DomainError.invalid(
                field: "outcome",
                reason: "must be one of: \(AskOutcome.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        let current = try await visible(rawID, to: asker)
        return try await change(current, for: asker, at: now()) { ask in
            try ask.record(outcome, by: asker.id)
            return []
        }
    }

    /// The member's introductions in one role, as they may see them.
    public func list(role: AskRole, of member: Member, limit: Int = 50) async throws -> [IntroductionView] {
        var views: [IntroductionView] = []
        for ask in try await asks.asks(of: member.id, kind: .introduction, role: role, limit: limit) {
            if let view = try await view(ask, for: member) { views.append(view) }
        }
        return views
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

    private func reachable(_ raw: String, from viewer: Member) async throws -> Member {
        guard let handle = try? Handle(raw), let member = try await members.member(handle: handle),
            !(try await blocks.isBlocked(between: member.id, and: viewer.id))
        else { throw DomainError.notFound("member") }
        return member
    }

    /// The introduction if `member` may see it, else "not found".
    private func visible(_ rawID: String, to member: Member) async throws -> IntroductionView {
        guard let id = Ask.ID(rawID), let ask = try await asks.ask(id), ask.kind == .introduction,
            let view = try await view(ask, for: member)
        else { throw DomainError.notFound("introduction") }
        return view
    }

    private func view(_ ask: Ask, for member: Member) async throws -> IntroductionView? {
        guard let status = ask.status(seenBy: member.id), ask.route.count == 2,
            let asker = try await members.member(id: ask.asker),
            let connector = try await members.member(id: ask.route[0]),
            let target = try await members.member(id: ask.route[1])
        else { return nil }
        return IntroductionView(ask: ask, status: status, asker: asker, connector: connector, target: target)
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

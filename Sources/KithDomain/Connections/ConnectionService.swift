public import Foundation

/// A request as a viewer may see it: the status is already masked for the sender.
public struct RequestView: Sendable, Equatable {
    public var id: ConnectionRequest.ID
    public var from: Member
    public var to: Member
    public var note: String
    public var status: RequestStatus
    public var createdAt: Date
}

/// The rules of connecting: who may ask whom, how often, and what each side is told.
public struct ConnectionService: Sendable {
    public struct Settings: Sendable {
        /// How long a request stays open before it expires unanswered.
        public var requestLifetime: TimeInterval
        /// The most requests one member may send in seven days (anti-spam).
        public var weeklyRequestLimit: Int
        /// The tie strength a new connection starts with (later raised by interactions, events, groups).
        public var initialStrength: UInt8

        public init(requestLifetime: TimeInterval = 30 * 86_400, weeklyRequestLimit: Int = 100, initialStrength: UInt8 = 30) {
            self.requestLifetime = requestLifetime
            self.weeklyRequestLimit = weeklyRequestLimit
            self.initialStrength = initialStrength
        }
    }

    private let members: any MemberRepository
    private let profiles: any ProfileRepository
    private let connections: any ConnectionRepository
    private let blocks: any BlockRepository
    private let graph: NetworkGraph
    private let links: any PageLinks
    public let settings: Settings
    private let now: @Sendable () -> Date

    public init(
        members: any MemberRepository,
        profiles: any ProfileRepository,
        connections: any ConnectionRepository,
        blocks: any BlockRepository,
        graph: NetworkGraph,
        links: any PageLinks,
        settings: Settings = Settings(),
        now: @escaping @Sendable () -> Date
    ) {
        self.members = members
        self.profiles = profiles
        self.connections = connections
        self.blocks = blocks
        self.graph = graph
        self.links = links
        self.settings = settings
        self.now = now
    }

    /// Asks `handle` to connect. Asking someone who already asked you accepts their request.
    /// Blocked members cannot reach each other and are told "not found", as for anyone unknown.
    public func request(to handle: String, note rawNote: String?, from sender: Member) async throws -> RequestView {
        let note = try Text.clean(rawNote ?? "", field: "note", max: 300, multiline: true)
        let recipient = try await reachableMember(handle, from: sender, field: "to")
        let moment = now()
        let sent = try await connections.sentRequests(by: sender.id, since: moment.addingTimeInterval(-7 * 86_400))
        guard sent < settings.weeklyRequestLimit else { throw DomainError.rateLimited(retryAfterSeconds: 86_400) }
        let request = ConnectionRequest(
            id: .make(at: moment),
            from: sender.id,
            to: recipient.id,
            note: note,
            status: .pending,
            createdAt: moment,
            expiresAt: moment.addingTimeInterval(settings.requestLifetime)
        )
        let links = links
        let outcome = try await connections.request(request, initialStrength: settings.initialStrength, now: moment) { outcome in
            switch outcome {
            case .created(let created): ConnectionNotices.requested(created, from: sender, links: links)
            case .acceptedTheirs(let theirs): ConnectionNotices.accepted(theirs, by: sender, links: links)
            case .alreadyConnected, .alreadyPending: nil
            }
        }
        switch outcome {
        case .created(let created):
            return view(created, from: sender, to: recipient, seenBy: sender.id)
        case .acceptedTheirs(let theirs):
            try await graph.catchUp()
            return view(theirs, from: recipient, to: sender, seenBy: sender.id)
        case .alreadyConnected:
            throw DomainError.conflict(field: "to", message: "You are already connected with \(recipient.name).")
        case .alreadyPending:
            throw DomainError.conflict(field: "to", message: "A request between you and \(recipient.name) is already waiting.")
        }
    }

    public func accept(_ rawID: String, by recipient: Member) async throws -> RequestView {
        try await respond(rawID, by: recipient, accept: true)
    }

    /// Ignores a request. The sender is not told; to them it stays pending until it expires.
    public func ignore(_ rawID: String, by recipient: Member) async throws {
        _ = try await respond(rawID, by: recipient, accept: false)
    }

    public func withdraw(_ rawID: String, by sender: Member) async throws {
        guard let id = ConnectionRequest.ID(rawID), try await connections.withdraw(id, by: sender.id, now: now()) else {
            throw DomainError.notFound("connection request")
        }
    }

    public func disconnect(from handle: String, by member: Member) async throws {
        guard let parsed = try? Handle(handle), let other = try await members.member(handle: parsed),
            try await connections.disconnect(member.id, other.id, now: now())
        else { throw DomainError.notFound("connection") }
        try await graph.catchUp()
    }

    /// Requests waiting for `member` (incoming) or sent by them (outgoing), newest first.
    public func requests(box: String?, of member: Member, after: String?, limit: String?) async throws -> Page<RequestView> {
        var check = Validation()
        let incoming: Bool
        switch box ?? "incoming" {
        case "incoming": incoming = true
        case "outgoing": incoming = false
        default:
            check.fail("box", "must be one of: incoming, outgoing")
            incoming = true
        }
        let size = check.capture { try PageSize(limit) }
        let cursor = check.capture { try Cursor.decode(after, parts: 2, numericFirst: true) } ?? nil
        try check.throwIfFailed()
        let moment = now()
        let entries = try await connections.requests(of: member.id, incoming: incoming, now: moment, after: cursor, limit: size!.value + 1)
        let items = entries.prefix(size!.value).map { view($0.request, from: $0.from, to: $0.to, seenBy: member.id, at: moment) }
        return Page(items: items, next: entries.count > size!.value ? entries[size!.value - 1].cursor : nil)
    }

    /// A member's connections, if their connections section is visible to the viewer.
    public func connections(of handle: String?, viewer: Member, after: String?, limit: String?) async throws -> Page<MemberSummary> {
        var check = Validation()
        let size = check.capture { try PageSize(limit) }
        let cursor = check.capture { try Cursor.decode(after, parts: 2, numericFirst: true) } ?? nil
        try check.throwIfFailed()
        var owner = viewer
        if let handle, !handle.isEmpty { owner = try await reachableMember(handle, from: viewer, field: "member", allowSelf: true) }
        let ownerProfile = try await profiles.profile(of: owner.id) ?? Profile(memberID: owner.id, updatedAt: owner.createdAt)
        let relation: ViewerRelation =
            owner.id == viewer.id
            ? .owner : (try await GraphConnectionLookup(graph: graph).areConnected(owner.id, viewer.id) ? .connection : .member)
        guard ProfilePolicy.canSee(.connections, of: ownerProfile, as: relation) else {
            throw DomainError.forbidden("\(owner.name) keeps their connections private.")
        }
        let entries = try await connections.connections(of: owner.id, after: cursor, limit: size!.value + 1)
        let shown = Array(entries.prefix(size!.value))
        let profilesByID = try await profiles.profiles(of: shown.map(\.member.id))
        let hidden = Set(try await blocks.blockedEither(of: viewer.id))
        let items = shown.filter { !hidden.contains($0.member.id) }.map { entry in
            MemberSummary(
                member: entry.member,
                profile: profilesByID[entry.member.id] ?? Profile(memberID: entry.member.id, updatedAt: entry.member.createdAt),
                relation: entry.member.id == viewer.id ? .owner : .member
            )
        }
        return Page(items: items, next: entries.count > size!.value ? shown.last?.cursor : nil)
    }

    public func connectionCount(of member: Member) async throws -> Int {
        try await connections.connectionCount(of: member.id)
    }

    /// Closes open requests that have passed their expiry. Run by the job runner.
    public func expireRequests() async throws -> Int {
        try await connections.expireRequests(now: now())
    }

    private func respond(_ rawID: String, by recipient: Member, accept: Bool) async throws -> RequestView {
        let moment = now()
        guard let id = ConnectionRequest.ID(rawID),
            let answered = try await connections.respond(
                to: id,
                by: recipient.id,
                accept: accept,
                initialStrength: settings.initialStrength,
                now: moment,
                accepted: { [links] request in ConnectionNotices.accepted(request, by: recipient, links: links) }
            ),
            let sender = try await members.member(id: answered.from)
        else { throw DomainError.notFound("connection request") }
        if accept { try await graph.catchUp() }
        return view(answered, from: sender, to: recipient, seenBy: recipient.id, at: moment)
    }

    private func reachableMember(_ raw: String, from viewer: Member, field: String, allowSelf: Bool = false) async throws -> Member {
        guard let handle = try? Handle(raw, field: field), let member = try await members.member(handle: handle) else {
            throw DomainError.notFound("member")
        }
        if member.id == viewer.id {
            if allowSelf { return member }
            throw DomainError.invalid(field: field, reason: "You cannot connect with yourself.")
        }
        if try await blocks.isBlocked(between: member.id, and: viewer.id) { throw DomainError.notFound("member") }
        return member
    }

    private func view(
        _ request: ConnectionRequest,
        from: Member,
        to: Member,
        seenBy viewer: Member.ID,
        at moment: Date? = nil
    )
        -> RequestView
    {
        RequestView(
            id: request.id,
            from: from,
            to: to,
            note: request.note,
            status: request.status(seenBy: viewer, at: moment ?? now()),
            createdAt: request.createdAt
        )
    }
}

/// What the two sides of a connection request are told: the recipient that someone asked, the
/// sender that they said yes. Nobody is ever told of an ignored or expired request.
public enum ConnectionNotices {
    public static func requested(_ request: ConnectionRequest, from sender: Member, links: any PageLinks) -> Notice {
        Notice(
            member: request.to,
            kind: .connectionRequest,
            key: "connection_request:\(request.id)",
            title: "\(sender.name) would like to connect",
            body: request.note.isEmpty
                ? "Accept to connect, or ignore it; they will not be told."
                : "“\(request.note)” Accept to connect, or ignore it; they will not be told.",
            link: links.connectionRequests
        )
    }

    public static func accepted(_ request: ConnectionRequest, by recipient: Member, links: any PageLinks) -> Notice {
        Notice(
            member: request.from,
            kind: .connectionRequest,
            key: "connection_accepted:\(request.id)",
            title: "\(recipient.name) accepted your request to connect",
            body: "You are now connected. Say hello while it is fresh.",
            link: links.member(recipient.handle)
        )
    }
}

public import Foundation

/// A member's private "looking for work" signal (after losing a job, or changing careers): the
/// roles and places they want, and the circle of people who may see it. Only the circle ever
/// sees it — never search, suggestions, admins, other members' exports or counts.
public struct LookingSignal: Sendable, Equatable {
    public var member: Member.ID
    public var active: Bool
    public var roles: [String]
    public var locations: [String]
    public var circle: [Member.ID]
    public var updatedAt: Date

    public init(member: Member.ID, active: Bool, roles: [String], locations: [String], circle: [Member.ID], updatedAt: Date) {
        self.member = member
        self.active = active
        self.roles = roles
        self.locations = locations
        self.circle = circle
        self.updatedAt = updatedAt
    }

    /// Who may be in a circle, and how much a signal may say.
    public static let circleLimit = 12
    public static let listLimit = 5
    public static let itemLimit = 80
}

public protocol LookingRepository: Sendable {
    func signal(of member: Member.ID) async throws -> LookingSignal?
    /// Saves the signal and its circle, with the notices for members newly in it, in one transaction.
    func save(_ signal: LookingSignal, notices: [Notice]) async throws
    /// Active signals whose circle includes `member`, most recently changed first.
    func signals(supportedBy member: Member.ID) async throws -> [LookingSignal]
}

/// A signal as a member of its circle sees it.
public struct SupportedSignal: Sendable {
    public var member: Member
    public var signal: LookingSignal
}

/// The looking signal and the support circle: the member says what they are looking for and
/// whom to tell; the circle gets a prompt to help (leads, introductions, a coffee) and sees it on
/// their home page and in their plan; the member's own home page switches to transition mode.
public struct LookingService: Sendable {
    private let looking: any LookingRepository
    private let members: any MemberRepository
    private let blocks: any BlockRepository
    private let graph: NetworkGraph
    private let links: any PageLinks
    private let now: @Sendable () -> Date

    public init(
        looking: any LookingRepository,
        members: any MemberRepository,
        blocks: any BlockRepository,
        graph: NetworkGraph,
        links: any PageLinks,
        now: @escaping @Sendable () -> Date
    ) {
        self.looking = looking
        self.members = members
        self.blocks = blocks
        self.graph = graph
        self.links = links
        self.now = now
    }

    /// The member's own signal (inactive and empty when never set), with their circle as members.
    public func own(_ member: Member) async throws -> (signal: LookingSignal, circle: [Member]) {
        let signal =
            try await looking.signal(of: member.id)
            ?? LookingSignal(member: member.id, active: false, roles: [], locations: [], circle: [], updatedAt: member.createdAt)
        var circle: [Member] = []
        for id in signal.circle { if let person = try await members.member(id: id) { circle.append(person) } }
        return (signal, circle)
    }

    /// Sets the signal. The circle must be the member's connections (at most twelve); those newly
    /// in it while it is on are told, privately, what the member is looking for.
    public func set(
        active: Bool?,
        roles rawRoles: [String]?,
        locations rawLocations: [String]?,
        circle rawCircle: [String]?,
        by member: Member
    ) async throws -> (signal: LookingSignal, circle: [Member]) {
        var check = Validation()
        if active == nil { check.fail("active", "is required (true or false)") }
        func list(_ raw: [String]?, field: String) -> [String] {
            var items: [String] = []
            for value in raw ?? [] {
                if let item = check.capture({ try Text.clean(value, field: field, max: LookingSignal.itemLimit, min: 1) }),
                    !items.contains(where: { $0.lowercased() == item.lowercased() })
                {
                    items.append(item)
                }
            }
            if items.count > LookingSignal.listLimit { check.fail(field, "must name at most \(LookingSignal.listLimit)") }
            return items
        }
        let roles = list(rawRoles, field: "roles")
        let locations = list(rawLocations, field: "locations")
        let handles = Array(Set((rawCircle ?? []).map { $0.lowercased() })).sorted()
        if handles.count > LookingSignal.circleLimit { check.fail("circle", "must name at most \(LookingSignal.circleLimit) people") }
        try check.throwIfFailed()
        var circle: [Member] = []
        for raw in handles {
            // Someone blocked, unknown or not a connection reads the same.
            guard let handle = try? Handle(raw), let person = try await members.member(handle: handle), person.id != member.id,
                !(try await blocks.isBlocked(between: person.id, and: member.id)),
                try await graph.tieStrength(member.id, person.id) != nil
            else { throw DomainError.invalid(field: "circle", reason: "must name your connections (\(raw) is not one of them)") }
            circle.append(person)
        }
        let before = try await looking.signal(of: member.id)
        let signal = LookingSignal(
            member: member.id,
            active: active ?? false,
            roles: roles,
            locations: locations,
            circle: circle.map(\.id),
            updatedAt: now()
        )
        let told = Set(before?.active == true ? before?.circle ?? [] : [])
        let what = Self.summary(signal)
        let notices =
            signal.active
            ? circle.filter { !told.contains($0.id) }.map { person in
                Notice(
                    member: person.id,
                    kind: .ask,
                    key: "looking:\(member.id):\(Int64(signal.updatedAt.timeIntervalSince1970))",
                    title: "\(member.name) is looking for their next role and counts on you",
                    body: "Only their circle sees this. \(what) A lead, an introduction or a coffee could help.",
                    link: links.home
                )
            } : []
        try await looking.save(signal, notices: notices)
        return (signal, circle)
    }

    /// The active signals of people whose circle the member is in.
    public func supporting(_ member: Member) async throws -> [SupportedSignal] {
        var result: [SupportedSignal] = []
        for signal in try await looking.signals(supportedBy: member.id) {
            guard let person = try await members.member(id: signal.member),
                !(try await blocks.isBlocked(between: person.id, and: member.id))
            else { continue }
            result.append(SupportedSignal(member: person, signal: signal))
        }
        return result
    }

    /// "Looking for: data engineer, analytics lead. In: London, remote."
    public static func summary(_ signal: LookingSignal) -> String {
        var parts: [String] = []
        if !signal.roles.isEmpty { parts.append("Looking for: \(signal.roles.joined(separator: ", ")).") }
        if !signal.locations.isEmpty { parts.append("In: \(signal.locations.joined(separator: ", ")).") }
        return parts.isEmpty ? "Open to ideas." : parts.joined(separator: " ")
    }
}

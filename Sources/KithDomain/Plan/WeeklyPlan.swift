public import Foundation

/// What a plan item asks of the member.
public enum PlanItemKind: String, Sendable, Codable, CaseIterable {
    case ask
    case reconnect
    case keepInTouch = "keep_in_touch"
    case followUp = "follow_up"
    case thank
    case question
    case event
    case meet
    case goal

    /// The item as the calendar feed says it: what kind of thing, never whom.
    public var calendarLine: String {
        switch self {
        case .ask: "Someone asked for help"
        case .reconnect: "A tie worth reviving"
        case .keepInTouch: "Someone is due a catch-up"
        case .followUp: "A follow-up is due"
        case .thank: "Someone to thank"
        case .question: "Messages waiting for an answer"
        case .event: "An event you are going to"
        case .meet: "Someone new to meet"
        case .goal: "Your goal"
        }
    }
}

/// One actionable thing, at most seven a week. `key` names it across weeks, so one done,
/// snoozed or already emailed is not offered again.
public struct PlanItem: Sendable, Equatable {
    public var key: String
    public var kind: PlanItemKind
    public var text: String
    public var link: String
    public var starter: String?

    public init(key: String, kind: PlanItemKind, text: String, link: String, starter: String? = nil) {
        self.key = key
        self.kind = kind
        self.text = text
        self.link = link
        self.starter = starter
    }
}

/// What the member did with an item: done, or not now (until a date).
public enum PlanItemState: Sendable, Equatable {
    case done(at: Date)
    case snoozed(until: Date)
}

public struct GoalProgress: Sendable, Equatable {
    public var goal: NetworkingGoal
    public var done: Int

    /// "This month: 2 of 4 conversations"
    public var text: String {
        "This \(goal.period.rawValue): \(min(done, goal.conversations)) of \(goal.conversations) conversation\(goal.conversations == 1 ? "" : "s")"
    }
}

public struct WeeklyPlan: Sendable {
    public var weekOf: Date
    public var slot: WeeklySlot
    public var items: [PlanItem]
    public var goal: GoalProgress

    /// The most actionable items a week's plan holds (the goal line comes after them).
    public static let maxItems = 7

    /// Up to `room` of `candidates` (given most pressing first): the first of each kind, then
    /// the rest in order, so a week with many follow-ups still shows someone to thank or meet.
    /// The items keep the candidates' order.
    public static func varied(_ candidates: [PlanItem], room: Int) -> [PlanItem] {
        var chosen = Set<Int>()
        var kinds = Set<PlanItemKind>()
        for (index, item) in candidates.enumerated() where chosen.count < room && kinds.insert(item.kind).inserted {
            chosen.insert(index)
        }
        for index in candidates.indices where chosen.count < room { chosen.insert(index) }
        return candidates.indices.filter(chosen.contains).map { candidates[$0] }
    }

    /// Something to do: the goal line alone is not a reason to write.
    public var isActionable: Bool { items.contains { $0.kind != .goal } }
}

/// One member's weekly email, built and waiting to be recorded and queued.
public struct WeeklyEmail: Sendable {
    public var member: Member.ID
    /// The keys of the items it names (not offered again in a later week's email).
    public var keys: [String]
    public var mail: OutgoingMail
}

/// Storage for slots, goals, item states and the weekly emails sent.
public protocol PlanRepository: Sendable {
    func slot(of member: Member.ID) async throws -> WeeklySlot?
    func saveSlot(_ slot: WeeklySlot, of member: Member.ID) async throws
    func states(of member: Member.ID) async throws -> [String: PlanItemState]
    func setState(_ state: PlanItemState, of key: String, for member: Member.ID) async throws
    /// Conversations the member had since `since`: interactions logged in their relationship
    /// manager and conversations they wrote in.
    func conversationsHad(by member: Member.ID, since: Date) async throws -> Int
    /// Records each member's email for the week with its items' keys (emailed items are not
    /// offered again) and queues it, once, in one transaction: a member whose email for the week
    /// was already recorded is left as it was. Returns how many were recorded.
    func recordWeeklyEmails(_ emails: [WeeklyEmail], weekOf: Date) async throws -> Int
    /// For the members after `after` up to `through` (in id order: one batch of the weekly run),
    /// the stores that hold anything for them; a member with nothing anywhere is absent.
    func sourcesPresent(after: Member.ID?, through: Member.ID) async throws -> [Member.ID: PlanSourceSet]
    /// The same for one member: the stores that hold anything for them.
    func sourcesPresent(of member: Member.ID) async throws -> PlanSourceSet
    /// Members whose week's email has not been recorded yet, after `after` (keyset), with their
    /// stored slot if any and career stage.
    func membersAwaitingWeeklyEmail(
        weekOf: Date,
        after: Member.ID?,
        limit: Int
    ) async throws
        -> [(member: Member, email: String, slot: WeeklySlot?, stage: CareerStage?)]
    /// Keys already emailed in an earlier week's email.
    func emailedKeys(of member: Member.ID) async throws -> Set<String>
    /// The same for every member after `after` up to `through` (one batch of the weekly run); a
    /// member never emailed is absent.
    func emailedKeys(after: Member.ID?, through: Member.ID) async throws -> [Member.ID: Set<String>]
}

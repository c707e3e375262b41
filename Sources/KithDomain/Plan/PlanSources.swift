public import Foundation

/// The stores a week's plan reads from, as a set: the weekly email run asks once per batch of
/// members which of them have anything at all in each (`PlanRepository.sourcesPresent`), and a
/// plan skips the reads of the stores a member has nothing in — in most weeks, most members have
/// nothing waiting in most of them. "Present" may be more than the plan uses (a closed ask, a
/// past event); it is never less.
public struct PlanSourceSet: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The member's own looking signal.
    public static let lookingSignal = PlanSourceSet(rawValue: 1 << 0)
    /// Someone's looking circle that the member is in.
    public static let lookingCircle = PlanSourceSet(rawValue: 1 << 1)
    /// Asks the member made (introductions and help asks).
    public static let asksMade = PlanSourceSet(rawValue: 1 << 2)
    /// Asks routed to the member (to broker, to answer, to help with).
    public static let asksRouted = PlanSourceSet(rawValue: 1 << 3)
    /// Conversations the member takes part in (requests, inbox, messages written).
    public static let conversations = PlanSourceSet(rawValue: 1 << 4)
    /// The relationship manager: contacts, follow-ups, interactions.
    public static let contacts = PlanSourceSet(rawValue: 1 << 5)
    /// Events the member organises or answered.
    public static let events = PlanSourceSet(rawValue: 1 << 6)
    /// Plan items done or put off.
    public static let itemStates = PlanSourceSet(rawValue: 1 << 7)
    /// Weekly emails already sent (their items are not repeated).
    public static let weeklyEmails = PlanSourceSet(rawValue: 1 << 8)
    /// Notification choices other than the defaults.
    public static let notificationSettings = PlanSourceSet(rawValue: 1 << 9)
    /// Notifications.
    public static let notifications = PlanSourceSet(rawValue: 1 << 10)

    /// The stores a plan's items are read from (the rest serve the weekly email).
    static let planItems: PlanSourceSet = [
        .lookingSignal, .lookingCircle, .asksMade, .asksRouted, .conversations, .contacts, .events, .itemStates,
    ]

    public static let all: PlanSourceSet = planItems.union([.weeklyEmails, .notificationSettings, .notifications])
}

/// What one member's week is made of, read from every capability the plan draws on; the plan is
/// then built from it without further reads (`PlanService.plan(from:for:at:)`).
struct PlanSources: Sendable {
    var slot: WeeklySlot
    var stage: CareerStage?
    var states: [String: PlanItemState]
    /// The first person in transition whose circle the member is in.
    var supported: SupportedSignal?
    var inTransition: Bool
    /// The member's introductions as asker (an outcome may be due).
    var asked: [IntroductionView]
    var asksForMe: [HelpAskView]
    var introductionsWaiting: [IntroductionView]
    var requests: [ConversationSummary]
    var inbox: [ConversationSummary]
    var board: KeepInTouchBoard
    var thanks: (contact: Contact, help: Interaction)?
    /// The first event in the week ahead that the member goes to or organises.
    var eventAhead: Event?
    var suggestion: Suggestion?
    /// The start of the goal's period (this week or month, in the slot's time zone) and the
    /// conversations had since.
    var periodStart: Date
    var conversationsHad: Int
}

extension PlanSources {
    /// The sources of a member for whom no store holds anything: their slot, stage and suggestion.
    static func nothingStored(slot: WeeklySlot, stage: CareerStage?, suggestion: Suggestion?, at moment: Date) -> PlanSources {
        PlanSources(
            slot: slot,
            stage: stage,
            states: [:],
            supported: nil,
            inTransition: false,
            asked: [],
            asksForMe: [],
            introductionsWaiting: [],
            requests: [],
            inbox: [],
            board: .empty,
            thanks: nil,
            eventAhead: nil,
            suggestion: suggestion,
            periodStart: NetworkingGoal.suggested(for: stage).periodStart(at: moment, slot: slot),
            conversationsHad: 0
        )
    }
}

extension KeepInTouchBoard {
    /// The board of someone who keeps no contacts.
    static let empty = KeepInTouchBoard(due: [], overdue: [], dormantWorthReviving: [], followUps: [], followUpContacts: [:])
}

extension NetworkingGoal {
    /// Where the goal's current period (ISO week or month, in the slot's time zone) began.
    func periodStart(at moment: Date, slot: WeeklySlot) -> Date {
        CalendarPeriods.start(of: period == .week ? .weekOfYear : .month, holding: moment, in: slot.timeZone)
    }
}

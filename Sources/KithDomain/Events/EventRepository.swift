public import Foundation

/// Which events a list shows.
public struct EventQuery: Sendable {
    public var upcomingAfter: Date?
    public var format: EventFormat?
    public var cohort: String?
    /// Only events this member organises or answered going / maybe / waitlisted.
    public var mine: Member.ID?
    public var includeCancelled: Bool
    public var after: [String]?
    public var limit: Int

    public init(
        upcomingAfter: Date? = nil,
        format: EventFormat? = nil,
        cohort: String? = nil,
        mine: Member.ID? = nil,
        includeCancelled: Bool = false,
        after: [String]? = nil,
        limit: Int = 20
    ) {
        self.upcomingAfter = upcomingAfter
        self.format = format
        self.cohort = cohort
        self.mine = mine
        self.includeCancelled = includeCancelled
        self.after = after
        self.limit = limit
    }
}

public struct EventCounts: Sendable, Equatable {
    public var going: Int
    public var waitlisted: Int
    public var maybe: Int

    public init(going: Int, waitlisted: Int, maybe: Int) {
        self.going = going
        self.waitlisted = waitlisted
        self.maybe = maybe
    }
}

/// A past event the member was going to when it ended, and when they were checked in (nil when
/// nobody checked them in: they may still have been there).
public struct Attendance: Sendable, Equatable {
    public let event: Event
    public let checkedInAt: Date?

    public init(event: Event, checkedInAt: Date?) {
        self.event = event
        self.checkedInAt = checkedInAt
    }
}

/// What members moved from the waitlist to a place are told: an in-app notification and an email,
/// stored for each of them in the transaction that promotes them, so nobody gets a place unannounced
/// even if the server stops right after.
public struct PromotionNotice: Sendable, Equatable {
    /// Unique per promotion (a member can be promoted again after leaving).
    public let key: String
    public let title: String
    public let body: String
    public let link: String

    public init(key: String, title: String, body: String, link: String) {
        self.key = key
        self.title = title
        self.body = body
        self.link = link
    }
}

/// Events and answers. `respond` and `update` are atomic per event: on PostgreSQL the
/// event row is locked for the transaction, on SQLite the single writer serialises them.
public protocol EventRepository: Sendable {
    func insert(_ event: Event) async throws
    /// Stores the event in one transaction; nil (nothing stored) when the capacity is below those
    /// already going; otherwise the members promoted into new places, each told with `notice`
    /// (made only when someone is promoted: it formats dates, and RSVPs are the hot path).
    func update(_ event: Event, now: Date, notice: @escaping @Sendable (Event) -> PromotionNotice) async throws -> [Member.ID]?
    func event(_ id: Event.ID) async throws -> Event?
    func events(matching query: EventQuery) async throws -> [Event]
    func counts(of events: [Event.ID]) async throws -> [Event.ID: EventCounts]
    func rsvp(of member: Member.ID, to event: Event.ID) async throws -> RSVP?
    func rsvps(to event: Event.ID) async throws -> [RSVP]
    /// Records the member's answer under the capacity rule; frees and fills seats first come first
    /// served, telling each member promoted with `notice`. `admit` sees the event as the
    /// transaction reads it and throws to refuse the answer (nothing is written then); an
    /// unknown event is `notFound("event")`.
    func respond(
        _ choice: RSVPChoice,
        member: Member.ID,
        event: Event.ID,
        now: Date,
        admit: @escaping @Sendable (Event) throws -> Void,
        notice: @escaping @Sendable (Event) -> PromotionNotice
    ) async throws -> RSVPOutcome
    func checkIn(member: Member.ID, event: Event.ID, at: Date) async throws -> Bool
    /// The member's attendance history: events (not cancelled) that ended before `before` with the
    /// member going, latest first.
    func attendance(of member: Member.ID, endedBefore before: Date, limit: Int) async throws -> [Attendance]
    /// Members going whose community-visible affiliations carry one of these cohort keys.
    func going(to event: Event.ID, withCohorts cohorts: [String]) async throws -> [Member]
    /// Members whose affiliations (unless only for themselves) carry this cohort key (reunion invitations).
    func cohortMembers(_ cohortKey: String) async throws -> [Member.ID]
    /// How many events `organizer` created since `since` (for the creation limit).
    func createdCount(by organizer: Member.ID, since: Date) async throws -> Int
    /// When the member's calendar-feed address was made, or nil when they have none.
    func calendarFeed(of member: Member.ID) async throws -> Date?
    /// Gives the member a new feed address (by its digest); the old one stops working.
    func replaceCalendarFeed(of member: Member.ID, digest: String, at: Date) async throws
    /// The member whose feed address this is (looked up by `digest`; `token` only finds an
    /// address stored before digests were, which is then moved to its digest).
    func member(calendarToken token: String, digest: String, at: Date) async throws -> Member.ID?
}

/// Tells members something: an in-app notification and, optionally, an email (the outbox).
public protocol Notifier: Sendable {
    func notify(
        _ member: Member.ID,
        kind: NotificationKind,
        key: String,
        title: String,
        body: String,
        link: String,
        email: Bool,
        at: Date
    ) async throws
}

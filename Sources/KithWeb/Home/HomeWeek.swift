import Foundation
import KithDomain

/// What the signed-in home page shows: the member's week — the plan, what waits for them, their
/// next events and a couple of people to meet.
struct HomeWeek: Sendable {
    var plan: WeeklyPlan
    var messageRequests: Int
    var unreadConversations: Int
    var connectionRequests: Int
    var introductionsWaiting: Int
    var asksForMe: Int
    /// The member's own signal when it is on (transition mode), and those counting on them.
    var looking: LookingSignal?
    var supporting: [SupportedSignal]
    /// Where they are: the introductions to make, or — when all are made to the member — those.
    var introductionsPath: String
    var peopleDue: Int
    var unreadNotifications: Int
    var events: [EventView]
    var suggestions: [Suggestion]

    static func load(for member: Member, services: Services) async throws -> HomeWeek {
        async let plan = services.plans.plan(for: member)
        async let requests = services.messages.conversations(box: "requests", of: member, after: nil, limit: "100")
        async let inbox = services.messages.conversations(box: "inbox", of: member, after: nil, limit: "100")
        async let connectionRequests = services.connections.requests(box: "incoming", of: member, after: nil, limit: "100")
        async let introductions = services.introductions.waiting(for: member)
        async let asks = services.asks.forMe(member)
        async let own = services.looking.own(member)
        async let supporting = services.looking.supporting(member)
        async let board = services.contacts.keepInTouch(owner: member, dormantLimit: 0)
        async let notifications = services.notifications.unreadCount(of: member)
        async let events = services.events.list(
            upcoming: "true",
            format: nil,
            cohort: nil,
            mine: "true",
            after: nil,
            limit: "3",
            viewer: member
        )
        async let suggestions = services.suggestions.suggestions(for: member, limit: "2")
        let dueBoard = try await board
        return HomeWeek(
            plan: try await plan,
            messageRequests: try await requests.items.count,
            unreadConversations: try await inbox.items.filter { $0.unreadCount > 0 }.count,
            connectionRequests: try await connectionRequests.items.count,
            introductionsWaiting: try await introductions.count,
            asksForMe: try await asks.filter { $0.offers.isEmpty }.count,
            looking: try await own.signal.active ? try await own.signal : nil,
            supporting: try await supporting,
            introductionsPath: IntroductionRoutes.Pages.list.path
                + (try await introductions.allSatisfy { $0.connector.id != member.id } ? "?role=target" : "?role=connector"),
            peopleDue: dueBoard.due.count + dueBoard.overdue.count,
            unreadNotifications: try await notifications,
            events: try await events.items,
            suggestions: try await suggestions
        )
    }
}

import Foundation
import KithDomain
import Testing

/// The ask mechanism's rules, as pure transitions: who may do what at each step, what each side
/// is told, deadlines and nudges, caps.
@Suite struct AskRulesTests {
    let asker = Member.ID(UUID())
    let connector = Member.ID(UUID())
    let target = Member.ID(UUID())
    let stranger = Member.ID(UUID())
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func introduction() -> Ask {
        Ask(
            id: .make(at: start),
            kind: .introduction,
            asker: asker,
            route: [connector, target],
            purpose: "advice",
            blurb: "Dana moves into data engineering.",
            request: "Twenty minutes about the team?",
            at: start
        )
    }

    @Test func theTargetSeesNothingUntilItIsForwardedThenAnswers() throws {
        var ask = introduction()
        #expect(ask.status(seenBy: asker) == .requested)
        #expect(ask.status(seenBy: connector) == .waitingForYou)
        #expect(ask.status(seenBy: target) == nil)
        #expect(ask.status(seenBy: stranger) == nil)
        // Not theirs to answer yet: the target learns nothing from trying.
        #expect(throws: DomainError.notFound("introduction")) {
            var copy = ask; try copy.accept(by: target, at: start)
        }
        #expect(throws: DomainError.self) {
            var copy = ask; try copy.accept(by: connector, at: start)
        }

        let later = start.addingTimeInterval(86_400)
        try ask.forward(by: connector, note: "Dana is great.", at: later)
        #expect(ask.holder == target)
        // The asker is not told how far it went (a later pass would say who passed).
        #expect(ask.status(seenBy: asker) == .requested)
        #expect(ask.status(seenBy: connector) == .forwarded)
        #expect(ask.status(seenBy: target) == .waitingForYou)
        #expect(ask.notes.map(\.text) == ["Dana is great."])
        // Each step has its own seven days.
        #expect(ask.deadline == later.addingTimeInterval(7 * 86_400))

        try ask.accept(by: target, at: later)
        #expect(!ask.isOpen)
        #expect([asker, connector, target].allSatisfy { ask.status(seenBy: $0) == .accepted })
        #expect(throws: DomainError.self) {
            var copy = ask; try copy.pass(by: target, at: later)
        }
    }

    @Test func aPassByAnyoneAndAnExpiryReadTheSameToTheAsker() throws {
        var passedByConnector = introduction()
        try passedByConnector.pass(by: connector, at: start)

        var passedByTarget = introduction()
        try passedByTarget.forward(by: connector, note: "", at: start)
        try passedByTarget.pass(by: target, at: start)

        var expired = introduction()
        let early = expired.expire(at: start.addingTimeInterval(7 * 86_400 - 1))
        #expect(!early)
        let due = expired.expire(at: start.addingTimeInterval(7 * 86_400))
        #expect(due)

        for ask in [passedByConnector, passedByTarget, expired] {
            #expect(ask.status(seenBy: asker) == .closed)
            #expect(!ask.isOpen)
        }
        // The connector, who forwarded, is not told the target passed either.
        #expect(passedByTarget.status(seenBy: connector) == .closed)
    }

    @Test func eachStepGetsOneNudgeOnItsFourthDay() throws {
        var ask = introduction()
        #expect(!ask.needsNudge(at: start.addingTimeInterval(4 * 86_400 - 1)))
        #expect(ask.needsNudge(at: start.addingTimeInterval(4 * 86_400)))
        ask.nudgedAt = start.addingTimeInterval(4 * 86_400)
        #expect(!ask.needsNudge(at: start.addingTimeInterval(5 * 86_400)))
        // Forwarding starts a new step with its own nudge.
        let forwarded = start.addingTimeInterval(5 * 86_400)
        try ask.forward(by: connector, note: "", at: forwarded)
        #expect(ask.nudgedAt == nil)
        #expect(ask.needsNudge(at: forwarded.addingTimeInterval(4 * 86_400)))
        #expect(!ask.needsNudge(at: forwarded.addingTimeInterval(7 * 86_400)), "past the deadline it expires instead")
    }

    @Test func onlyTheAskerWithdrawsAndRecordsOneOutcomeAfterAcceptance() throws {
        var ask = introduction()
        #expect(throws: DomainError.notFound("introduction")) {
            var copy = ask; try copy.withdraw(by: connector, at: start)
        }
        #expect(throws: DomainError.self) {
            var copy = ask; try copy.record(.met, by: asker)
        }
        try ask.forward(by: connector, note: "", at: start)
        try ask.accept(by: target, at: start)
        #expect(throws: DomainError.self) {
            var copy = ask; try copy.withdraw(by: asker, at: start)
        }
        #expect(throws: DomainError.notFound("introduction")) {
            var copy = ask; try copy.record(.met, by: target)
        }
        try ask.record(.met, by: asker)
        #expect(ask.outcome == .met)
        #expect(throws: DomainError.self) {
            var copy = ask; try copy.record(.hired, by: asker)
        }

        var withdrawn = introduction()
        try withdrawn.withdraw(by: asker, at: start)
        #expect(withdrawn.status(seenBy: asker) == .withdrawn)
        #expect(withdrawn.status(seenBy: connector) == .closed)
        let expiredAfterWithdrawal = withdrawn.expire(at: start.addingTimeInterval(30 * 86_400))
        #expect(!expiredAfterWithdrawal)
    }

    @Test func capsRefuseTheAskerPlainlyAndAnUnavailableAddresseeGently() throws {
        let caps = AskCaps.standard(for: .introduction)
        let free = AskLoad.Addressee(waiting: 0, receivedThisMonth: 0, availability: AskAvailability())
        let route = [(field: "via", member: connector), (field: "target", member: target)]
        try caps.check(AskLoad(askerOpen: 4, addressees: [connector: free]), kind: .introduction, route: route, at: start)
        #expect(throws: DomainError.rateLimited(retryAfterSeconds: 7 * 86_400)) {
            try caps.check(AskLoad(askerOpen: 5, addressees: [connector: free]), kind: .introduction, route: route, at: start)
        }
        let busy = AskLoad.Addressee(waiting: 10, receivedThisMonth: 0, availability: AskAvailability())
        let limited = AskLoad.Addressee(waiting: 0, receivedThisMonth: 2, availability: AskAvailability(monthlyLimit: 2))
        let paused = AskLoad.Addressee(
            waiting: 0,
            receivedThisMonth: 0,
            availability: AskAvailability(pausedUntil: start.addingTimeInterval(60))
        )
        for addressee in [busy, limited, paused] {
            let refusal = Result { () throws(DomainError) in
                try caps.check(AskLoad(askerOpen: 0, addressees: [connector: addressee]), kind: .introduction, route: route, at: start)
            }
            guard case .failure(.conflict(let field, let message)) = refusal else {
                Issue.record("an unavailable connector was admitted: \(refusal)")
                continue
            }
            #expect(field == "via")
            #expect(message.contains("not taking introductions just now"))
        }
        // A pause ends on its date.
        try caps.check(
            AskLoad(askerOpen: 0, addressees: [connector: paused]),
            kind: .introduction,
            route: route,
            at: start.addingTimeInterval(60)
        )
    }
}

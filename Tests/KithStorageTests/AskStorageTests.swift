import Foundation
import KithDemo
import KithDomain
import KithStorage
import KithTestSupport
import KithWeb
import SQLKit
import Testing

/// The ask store's contract, on SQLite and PostgreSQL: caps checked in the creating transaction,
/// transitions saved whole with their notices, the route revealed step by step, asks needing
/// attention found.
@Suite struct AskStorageTests {
    static func introduction(_ asker: Member, via: Member, to target: Member, at moment: Date) -> Ask {
        Ask(
            id: .make(at: moment),
            kind: .introduction,
            asker: asker.id,
            route: [via.id, target.id],
            purpose: "advice",
            blurb: "Dana is moving into data engineering.",
            request: "Twenty minutes about your team?",
            at: moment
        )
    }

    static func notice(_ member: Member, _ key: String) -> Notice {
        Notice(member: member.id, kind: .introduction, key: key, title: "An introduction", body: "", link: "/")
    }

    /// Dana asks Camille to introduce her to Paloma: the three, their services and the ask store.
    static func withThree(
        _ body: @escaping @Sendable (any Store, Services, Member, Member, Member, SQLAskRepository) async throws -> Void
    ) async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            let dana = try await services.register("dana").member
            let camille = try await services.register("camille").member
            let paloma = try await services.register("paloma").member
            try await body(store, services, dana, camille, paloma, SQLAskRepository(store: store))
        }
    }

    @Test func asksRoundTripAndTransitionsSaveWithTheirNotices() async throws {
        try await Self.withThree { store, services, dana, camille, paloma, asks in
            let start = t0
            let ask = Self.introduction(dana, via: camille, to: paloma, at: start)
            try await asks.create(ask, admit: { _ in }, notices: [Self.notice(camille, "introduction:\(ask.id):0")])
            #expect(try await asks.ask(ask.id) == ask)

            // The target has not been reached: it is not among their asks.
            #expect(try await asks.asks(of: paloma.id, kind: .introduction, role: .addressee, limit: 10).isEmpty)
            #expect(try await asks.asks(of: camille.id, kind: .introduction, role: .addressee, limit: 10).map(\.id) == [ask.id])
            #expect(try await asks.asks(of: dana.id, kind: .introduction, role: .asker, limit: 10).map(\.id) == [ask.id])

            let later = start.addingTimeInterval(3_600)
            let forwarded = try await asks.update(ask.id, at: later) { ask in
                try ask.forward(by: camille.id, note: "Dana is great.", at: later)
                return [Self.notice(paloma, "introduction:\(ask.id):1")]
            }
            #expect(forwarded?.holder == paloma.id)
            let stored = try #require(try await asks.ask(ask.id))
            #expect(stored == forwarded)
            #expect(stored.notes.map(\.text) == ["Dana is great."])
            #expect(try await asks.asks(of: paloma.id, kind: .introduction, role: .addressee, limit: 10).map(\.id) == [ask.id])
            let notified = try await store.read { db in
                try await db.raw("SELECT member_id FROM notifications WHERE kind = 'introduction' ORDER BY created_at").all()
                    .map { try $0.decode(column: "member_id", as: String.self) }
            }
            #expect(notified == [camille.id.description, paloma.id.description])

            // A transition the rules refuse saves nothing, notices included.
            await #expect(throws: DomainError.self) {
                _ = try await asks.update(ask.id, at: later) { ask in
                    try ask.accept(by: camille.id, at: later)
                    return [Self.notice(dana, "introduction:\(ask.id):accepted")]
                }
            }
            #expect(try await asks.ask(ask.id) == stored)
            #expect(try await services.notifications.notifications(of: dana).isEmpty)
            #expect(try await asks.update(Ask.ID.make(at: later), at: later) { _ in [] } == nil)
        }
    }

    /// Creates `ask` under the caps; a machine too loaded to take the asker's lock within the
    /// statement limit answers "busy" (a 503 to a client), and the call is tried again, as a
    /// client would.
    static func create(_ ask: Ask, in asks: SQLAskRepository, caps: AskCaps, via: Member, at moment: Date) async -> Result<Void, any Error>
    {
        for _ in 0..<20 {
            do {
                try await asks.create(
                    ask,
                    admit: { load in try caps.check(load, kind: .introduction, route: [("via", via.id)], at: moment) },
                    notices: []
                )
                return .success(())
            } catch is WorkTooLong {
                continue
            } catch {
                return .failure(error)
            }
        }
        return .failure(WorkTooLong())
    }

    @Test func theCapIsCheckedAgainstTheLoadReadWithTheInsert() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            let dana = try await services.register("dana").member
            let camille = try await services.register("camille").member
            var targets: [Member] = []
            for index in 0..<7 { targets.append(try await services.register("target-\(index)").member) }
            let asks = SQLAskRepository(store: store)
            let caps = AskCaps.standard(for: .introduction)
            // Seven asks at once: exactly the cap's five get in, the others are told they are over it.
            // (A machine too loaded to take the asker's lock within the statement limit answers
            // "busy", as a 503 would; the client tries again, as one would.)
            let outcomes = await withTaskGroup(of: String.self) { group in
                for (index, target) in targets.enumerated() {
                    group.addTask {
                        let moment = t0.addingTimeInterval(Double(index))
                        let ask = Self.introduction(dana, via: camille, to: target, at: moment)
                        switch await Self.create(ask, in: asks, caps: caps, via: camille, at: moment) {
                        case .success: return "admitted"
                        case .failure(DomainError.rateLimited): return "over the cap"
                        case .failure(let error): return "error: \(error)"
                        }
                    }
                }
                var all: [String] = []
                for await outcome in group { all.append(outcome) }
                return all
            }
            #expect(outcomes.filter { $0 == "admitted" }.count == caps.openPerAsker, "\(outcomes)")
            #expect(outcomes.filter { $0 == "over the cap" }.count == targets.count - caps.openPerAsker, "\(outcomes)")
            let open = try await asks.asks(of: dana.id, kind: .introduction, role: .asker, limit: 20)
            #expect(open.count == caps.openPerAsker)

            // The connector's own limit: reached by five asks in thirty days, a sixth from anyone is refused.
            try await asks.setAvailability(AskAvailability(monthlyLimit: 5), of: camille.id, kind: .introduction)
            #expect(try await asks.availability(of: camille.id, kind: .introduction) == AskAvailability(monthlyLimit: 5))
            let other = try await services.register("other").member
            let refused = Self.introduction(other, via: camille, to: targets[6], at: t0.addingTimeInterval(60))
            let refusal = await Self.create(refused, in: asks, caps: caps, via: camille, at: t0.addingTimeInterval(60))
            #expect(
                throws: DomainError.conflict(
                    field: "via",
                    message: "They are not taking introductions just now. Try another path, or ask the community."
                )
            ) { try refusal.get() }
            #expect(try await asks.ask(refused.id) == nil)
        }
    }

    /// The load an ask would be admitted against, read in the creating transaction; the probe is
    /// then refused, so nothing is stored.
    static func load(on addressee: Member, asker: Member, in asks: SQLAskRepository, at moment: Date) async throws -> AskLoad {
        struct Probe: Error { let load: AskLoad }
        let probe = Self.introduction(asker, via: addressee, to: asker, at: moment)
        do {
            try await asks.create(probe, admit: { throw Probe(load: $0) }, notices: [])
        } catch let probe as Probe {
            return probe.load
        }
        Issue.record("the probe was admitted")
        return AskLoad(askerOpen: 0, addressees: [:])
    }

    /// Asks waiting on an addressee are counted from the ask's own row (`waiting_on`), kept as
    /// the ask is forwarded, passed, accepted, withdrawn or expires. Whatever the sequence, the
    /// count equals what the route says: asks of the kind still waiting whose current step is the
    /// member's (the join it replaced, as the oracle).
    @Test func asksWaitingOnAnAddresseeFollowEveryTransition() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            var people: [Member] = []
            for name in ["ana", "ben", "cleo", "dov", "eli", "fay"] { people.append(try await services.register(name).member) }
            let asks = SQLAskRepository(store: store)
            var random = SplitMix64(seed: 20_261_204)
            var made: [Ask] = []
            var moment = t0
            for _ in 0..<14 {
                let trio = people.shuffled(using: &random).prefix(3).map(\.self)
                let ask = Self.introduction(trio[0], via: trio[1], to: trio[2], at: moment)
                try await asks.create(ask, admit: { _ in }, notices: [])
                made.append(ask)
            }
            func check(_ when: String) async throws {
                let probe = moment.addingTimeInterval(1)
                for member in people {
                    let oracle = try await store.read { db in
                        try await db.raw(
                            """
                            SELECT COUNT(*) AS n FROM asks a JOIN ask_route r ON r.ask_id = a.id AND r.position = a.step
                            WHERE r.member_id = \(bind: member.id.description) AND a.kind = 'introduction' AND a.stage = 'waiting'
                            """
                        ).first()?.decode(column: "n", as: Int.self) ?? -1
                    }
                    let asker = people.first { $0.id != member.id }!
                    let load = try await Self.load(on: member, asker: asker, in: asks, at: probe)
                    #expect(load.addressees[member.id]?.waiting == oracle, "\(member.handle) \(when)")
                }
            }
            try await check("after creating")
            #expect(made.count == 14)
            for round in 0..<40 {
                moment = moment.addingTimeInterval(600)
                let at = moment
                let ask = made[Int.random(in: 0..<made.count, using: &random)]
                let choice = Int.random(in: 0..<5, using: &random)
                _ = try? await asks.update(ask.id, at: at) { ask in
                    switch choice {
                    case 0: if let holder = ask.holder { try ask.forward(by: holder, note: "", at: at) }
                    case 1: if let holder = ask.holder { try ask.pass(by: holder, at: at) }
                    case 2: if let holder = ask.holder { try ask.accept(by: holder, at: at) }
                    case 3: try ask.withdraw(by: ask.asker, at: at)
                    default: _ = ask.expire(at: at.addingTimeInterval(30 * 86_400))
                    }
                    return []
                }
                if round % 8 == 7 { try await check("after round \(round)") }
            }
            let stages = try await store.read { db in
                try await db.raw("SELECT DISTINCT stage FROM asks").all().map { try $0.decode(column: "stage", as: String.self) }
            }
            // The sequence reached more than one way of closing (the check is not vacuous).
            #expect(Set(stages).count >= 3, "\(stages)")
        }
    }

    @Test func lapsedStepsAndDueNudgesNeedAttention() async throws {
        try await Self.withThree { store, services, dana, camille, paloma, asks in
            let ask = Self.introduction(dana, via: camille, to: paloma, at: t0)
            try await asks.create(ask, admit: { _ in }, notices: [])
            #expect(try await asks.needingAttention(at: t0.addingTimeInterval(3 * 86_400), limit: 10).isEmpty)
            let dayFour = t0.addingTimeInterval(4 * 86_400)
            #expect(try await asks.needingAttention(at: dayFour, limit: 10).map(\.id) == [ask.id])
            _ = try await asks.update(ask.id, at: dayFour) { ask in
                ask.nudgedAt = dayFour
                return []
            }
            #expect(try await asks.needingAttention(at: dayFour.addingTimeInterval(86_400), limit: 10).isEmpty)
            let lapsed = t0.addingTimeInterval(7 * 86_400)
            #expect(try await asks.needingAttention(at: lapsed, limit: 10).map(\.id) == [ask.id])
            let expired = try await asks.update(ask.id, at: lapsed) { ask in
                _ = ask.expire(at: lapsed)
                return []
            }
            #expect(expired?.status(seenBy: dana.id) == .closed)
            #expect(try await asks.needingAttention(at: lapsed, limit: 10).isEmpty)
        }
    }
}

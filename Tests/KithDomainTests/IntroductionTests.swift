import Foundation
import KithDomain
import KithTestSupport
import KithWeb
import Testing

/// Double opt-in introductions through the services, on SQLite (and PostgreSQL in CI): who may
/// ask whom through whom, what each side sees at each step, and that the asker is never told
/// who passed.
@Suite struct IntroductionTests {
    struct Cast {
        let services: Services
        let clock: TestClock
        let dana: Member
        let camille: Member
        let paloma: Member
        let eve: Member
    }

    /// Dana knows Camille, Camille knows Paloma; Eve knows nobody.
    static func withCast(_ body: @escaping @Sendable (Cast) async throws -> Void) async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let services = testServices(store, clock: clock)
            let dana = try await services.register("dana").member
            let camille = try await services.register("camille").member
            let paloma = try await services.register("paloma").member
            let eve = try await services.register("eve").member
            for (from, to) in [(dana, camille), (camille, paloma)] {
                let request = try await services.connections.request(to: to.handle.rawValue, note: nil, from: from)
                _ = try await services.connections.accept(request.id.description, by: to)
            }
            try await body(Cast(services: services, clock: clock, dana: dana, camille: camille, paloma: paloma, eve: eve))
        }
    }

    static func ask(_ cast: Cast, via: String = "camille", target: String = "paloma") async throws -> IntroductionView {
        try await cast.services.introductions.request(
            target: target,
            via: via,
            purpose: "advice",
            blurb: "Dana is moving from analytics into data engineering.",
            ask: "Twenty minutes about how your team works?",
            by: cast.dana
        )
    }

    @Test func onlyAConnectorWhoKnowsBothCanBeAskedAndBadInputNamesItsField() async throws {
        try await Self.withCast { cast in
            let introductions = cast.services.introductions
            await #expect(throws: DomainError.invalid(field: "via", reason: "must be connected with both you and Paloma")) {
                _ = try await Self.ask(cast, via: "eve")
            }
            await #expect(throws: DomainError.self) { _ = try await Self.ask(cast, via: "paloma", target: "camille") }
            await #expect(throws: DomainError.notFound("member")) { _ = try await Self.ask(cast, target: "nobody-here") }
            do {
                _ = try await introductions.request(target: "paloma", via: "camille", purpose: "gossip", blurb: "", ask: "", by: cast.dana)
                Issue.record("bad input was accepted")
            } catch DomainError.invalid(let errors) {
                #expect(Set(errors.map(\.field)) == ["purpose", "blurb", "ask"])
            }
            #expect(try await introductions.list(role: .asker, of: cast.dana).isEmpty, "nothing was stored half-way")
        }
    }

    @Test func theTargetSeesNothingUntilForwardedThenAcceptingOpensAConversationOfThree() async throws {
        try await Self.withCast { cast in
            let introductions = cast.services.introductions
            let asked = try await Self.ask(cast)
            let id = asked.ask.id.description
            #expect(asked.status == .requested)
            #expect(try await introductions.list(role: .connector, of: cast.camille).map(\.status) == [.waitingForYou])
            #expect(try await introductions.list(role: .target, of: cast.paloma).isEmpty)
            await #expect(throws: DomainError.notFound("introduction")) { _ = try await introductions.accept(id, by: cast.paloma) }
            await #expect(throws: DomainError.notFound("introduction")) { _ = try await introductions.pass(id, by: cast.eve) }

            let forwarded = try await introductions.forward(id, note: "Dana is great — worth your time.", by: cast.camille)
            #expect(forwarded.status == .forwarded)
            let seen = try #require(try await introductions.list(role: .target, of: cast.paloma).first)
            #expect(seen.status == .waitingForYou)
            #expect(seen.ask.notes.map(\.text) == ["Dana is great — worth your time."])

            let (accepted, conversation) = try await introductions.accept(id, by: cast.paloma)
            #expect(accepted.status == .accepted)
            for member in [cast.dana, cast.camille, cast.paloma] {
                let summary = try await cast.services.messages.conversation(conversation.description, for: member)
                #expect(summary.conversation.kind == .introduction)
            }
            await #expect(throws: DomainError.notFound("conversation")) {
                _ = try await cast.services.messages.conversation(conversation.description, for: cast.eve)
            }
            let outcome = try await introductions.record("met", on: id, by: cast.dana)
            #expect(outcome.ask.outcome == .met)
        }
    }

    @Test func aPassByAnyoneAndAnExpiryReadTheSameAndNameNobody() async throws {
        try await Self.withCast { cast in
            let introductions = cast.services.introductions
            let byConnector = try await Self.ask(cast)
            _ = try await introductions.pass(byConnector.ask.id.description, by: cast.camille)

            let byTarget = try await Self.ask(cast)
            _ = try await introductions.forward(byTarget.ask.id.description, note: nil, by: cast.camille)
            _ = try await introductions.pass(byTarget.ask.id.description, by: cast.paloma)

            let unanswered = try await Self.ask(cast)
            cast.clock.advance(by: 4 * 86_400)
            #expect(try await introductions.attend() == (expired: 0, nudged: 1))
            cast.clock.advance(by: 3 * 86_400)
            #expect(try await introductions.attend() == (expired: 1, nudged: 0))

            let views = try await introductions.list(role: .asker, of: cast.dana)
            #expect(Set(views.map(\.ask.id)) == [byConnector.ask.id, byTarget.ask.id, unanswered.ask.id])
            #expect(views.allSatisfy { $0.status == .closed })
            let told = try await cast.services.notifications.notifications(of: cast.dana).filter { $0.kind == .introduction }
            #expect(told.count == 3)
            #expect(Set(told.map(\.title)) == ["Your introduction: not this time"])
            #expect(told.allSatisfy { !$0.title.contains("Camille") && !$0.body.contains("Camille") && !$0.body.contains("Paloma") })
        }
    }
}

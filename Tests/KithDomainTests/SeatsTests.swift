import KithDomain
import Testing

/// The seat rule, on its own (the store applies it to a locked event; EventServiceTests and the
/// RSVP load test check it end to end).
@Suite struct SeatsTests {
    @Test func goingFillsPlacesThenTheLineWithNobodyOvertaken() {
        let open = Seats(going: 1, waiting: 0, capacity: 2)
        #expect(open.answer(.going, current: nil, position: nil) == .store(.going, position: nil, promote: 0))
        let full = Seats(going: 2, waiting: 0, capacity: 2)
        #expect(full.answer(.going, current: .maybe, position: nil) == .store(.waitlisted, position: 1, promote: 0))
        // A place is free but someone waits: the newcomer queues behind them.
        let queued = Seats(going: 1, waiting: 1, capacity: 2)
        #expect(queued.answer(.going, current: nil, position: nil) == .store(.waitlisted, position: 2, promote: 0))
        #expect(
            Seats(going: 500, waiting: 0, capacity: nil).answer(.going, current: nil, position: nil)
                == .store(.going, position: nil, promote: 0)
        )
    }

    @Test func answeringAgainChangesNothing() {
        let seats = Seats(going: 2, waiting: 3, capacity: 2)
        #expect(seats.answer(.going, current: .going, position: nil) == .unchanged(.going, position: nil))
        #expect(seats.answer(.going, current: .waitlisted, position: 2) == .unchanged(.waitlisted, position: 2))
    }

    @Test func aGoingMemberWhoLeavesFreesAPlaceForTheFirstInLine() {
        let seats = Seats(going: 2, waiting: 3, capacity: 2)
        #expect(seats.answer(.notGoing, current: .going, position: nil) == .store(.notGoing, position: nil, promote: 1))
        #expect(seats.answer(.maybe, current: .going, position: nil) == .store(.maybe, position: nil, promote: 1))
        // Leaving the line frees nothing.
        #expect(seats.answer(.notGoing, current: .waitlisted, position: 1) == .store(.notGoing, position: nil, promote: 0))
        // Without a limit, everyone waiting moves up.
        #expect(
            Seats(going: 2, waiting: 3, capacity: nil).answer(.notGoing, current: .going, position: nil)
                == .store(.notGoing, position: nil, promote: 3)
        )
    }

    @Test func aCapacityChangeNeverDropsBelowThoseGoingAndFillsNewPlaces() {
        #expect(!Seats.allows(capacity: 1, going: 2))
        #expect(Seats.allows(capacity: 2, going: 2) && Seats.allows(capacity: nil, going: 9))
        #expect(Seats(going: 2, waiting: 5, capacity: 4).freePlaces == 2)
        #expect(Seats(going: 2, waiting: 1, capacity: 4).freePlaces == 1)
        #expect(Seats(going: 4, waiting: 5, capacity: 4).freePlaces == 0)
    }
}

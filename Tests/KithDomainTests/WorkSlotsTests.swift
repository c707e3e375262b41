import KithDomain
import Testing

/// Heavy work (uploaded imports) runs a few at a time; a few more queue in order, and beyond that
/// the caller hears "busy" at once instead of piling memory up.
@Suite struct WorkSlotsTests {
    @Test func runsAFewQueuesAFewAndRefusesTheRest() async throws {
        let slots = WorkSlots(slots: 2, maxWaiting: 1)
        try await slots.acquire()
        try await slots.acquire()
        #expect(await slots.load == (2, 0))
        let third = Task { try await slots.acquire() }
        while await slots.load.waiting == 0 { await Task.yield() }
        await #expect(throws: ServerBusy.self) { try await slots.acquire() }
        await slots.release()  // hands the slot to the waiting third
        try await third.value
        #expect(await slots.load == (2, 0))
        await slots.release()
        await slots.release()
        #expect(await slots.load == (0, 0))
        // A failing body gives its slot back.
        await #expect(throws: ServerBusy.self) { try await slots.run { throw ServerBusy() } }
        #expect(await slots.load == (0, 0))
    }
}

import KithDomain
import Testing

@testable import KithStorage

/// The SQLite store deals reads to its reader connections: fewest in flight first, and the
/// ranking lane never on the last reader, which stays free for the foreground.
@Suite struct ReadLoadTests {
    @Test func theRankingLaneLeavesTheLastReaderToTheForeground() {
        let load = ReadLoad(readers: 3)
        // A crowd of ranking reads piles up on the first two readers only.
        var ranking: [Int] = []
        for _ in 0..<30 { ranking.append(load.begin(lane: .ranking)) }
        #expect(Set(ranking) == [0, 1])
        #expect(ranking.filter { $0 == 0 }.count == 15)
        // A foreground read takes the free one, and the next foreground reads spread from there.
        #expect(load.begin(lane: .foreground) == 2)
        for reader in ranking { load.end(reader) }
        load.end(2)
        // With nothing in flight, foreground reads use all three readers.
        var foreground: Set<Int> = []
        for _ in 0..<3 { foreground.insert(load.begin()) }
        #expect(foreground == [0, 1, 2])
    }

    @Test func oneReaderServesBothLanes() {
        let load = ReadLoad(readers: 1)
        #expect(load.begin(lane: .ranking) == 0)
        #expect(load.begin(lane: .foreground) == 0)
    }
}

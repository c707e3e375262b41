import Testing

@testable import KithStorage

struct ListsTests {
    @Test func aListSurvivesBeingStoredInOneColumn() {
        let lists: [[String]] = [
            [], ["Swift"], ["Data science", "Écoles d’ingénieurs", "日本語", "👩🏽‍💻 pairing", "Ünïcödé"],
            ["a", "b", "c"], ["trailing space ", " leading"],
        ]
        for list in lists {
            #expect(Lists.split(Lists.join(list)) == list)
        }
    }

    @Test func emptyLinesAreNotEntries() {
        #expect(Lists.split("") == [])
        #expect(Lists.split("\n\nSwift\n\nRust\n") == ["Swift", "Rust"])
    }
}

import Foundation
import KithStorage
import KithTestSupport
import SQLKit
import Testing

/// The SQLite store runs every statement from a cache of prepared statements, rebinding their
/// parameters each time; these check the answers stay right when the same text runs again with
/// other values, after a failure, and past the cache's size. They run on PostgreSQL too.
@Suite struct StatementReuseTests {
    static func createProbe(_ store: any Store) async throws {
        try await store.write { db in
            try await db.raw(
                "CREATE TABLE probe (id BIGINT PRIMARY KEY, label TEXT, flag BIGINT NOT NULL, score DOUBLE PRECISION)"
            ).run()
        }
    }

    @Test func theSameStatementWithNewValuesAnswersForThoseValues() async throws {
        try await withMigratedStore { store in
            try await Self.createProbe(store)
            let labels = ["plain", "Zoë — ünïcödé ✓", "", "quote ' and \" and ;", String(repeating: "long ", count: 2000)]
            try await store.write { db in
                for id in 0..<300 {
                    let label: String? = id % 7 == 0 ? nil : labels[id % labels.count]
                    try await db.raw(
                        "INSERT INTO probe (id, label, flag, score) VALUES (\(bind: id), \(bind: label), \(bind: id % 3), \(bind: Double(id) / 4))"
                    ).run()
                }
            }
            try await store.read { db in
                for id in [0, 1, 2, 3, 4, 5, 149, 299] {
                    let row = try #require(try await db.raw("SELECT label, flag, score FROM probe WHERE id = \(bind: id)").first())
                    #expect(try row.decode(column: "label", as: String?.self) == (id % 7 == 0 ? nil : labels[id % labels.count]))
                    #expect(try row.decode(column: "flag", as: Int.self) == id % 3)
                    #expect(try row.decode(column: "score", as: Double.self) == Double(id) / 4)
                }
                // flag = ? alternating between 0, 1 and 2: SQLite may plan differently for 0 and 1.
                for flag in [0, 1, 2, 1, 0, 2, 2, 0] {
                    let count = try await db.raw("SELECT COUNT(*) AS n FROM probe WHERE flag = \(bind: flag)").first()?
                        .decode(column: "n", as: Int.self)
                    #expect(count == 100, "flag \(flag)")
                }
                let missing = try await db.raw("SELECT label FROM probe WHERE id = \(bind: 1000)").first()
                #expect(missing == nil)
            }
        }
    }

    @Test func aStatementThatFailedRunsAgainAndTheFailureLosesNothingElse() async throws {
        try await withMigratedStore { store in
            try await Self.createProbe(store)
            func insert(_ id: Int) async throws {
                try await store.write { db in
                    try await db.raw("INSERT INTO probe (id, label, flag) VALUES (\(bind: id), \(bind: "row \(id)"), 0)").run()
                }
            }
            try await insert(1)
            await #expect(throws: (any Error).self) { try await insert(1) }
            try await insert(2)
            let labels = try await store.read { db in
                try await db.raw("SELECT label FROM probe ORDER BY id").all().map { try $0.decode(column: "label", as: String.self) }
            }
            #expect(labels == ["row 1", "row 2"])
        }
    }

    /// A statement prepared before a schema change answers with the columns after it.
    @Test func aSchemaChangeShowsInTheColumnsOfAStatementAlreadyRun() async throws {
        try await withMigratedStore { store in
            try await Self.createProbe(store)
            try await store.write { db in
                try await db.raw("INSERT INTO probe (id, label, flag) VALUES (1, 'one', 0)").run()
                let before = try #require(try await db.raw("SELECT * FROM probe").first())
                #expect(!before.contains(column: "extra"))
                try await db.raw("ALTER TABLE probe ADD COLUMN extra TEXT DEFAULT 'added'").run()
                let after = try #require(try await db.raw("SELECT * FROM probe").first())
                #expect(try after.decode(column: "extra", as: String.self) == "added")
                #expect(try after.decode(column: "label", as: String.self) == "one")
            }
        }
    }

    @Test func moreDistinctStatementsThanTheCacheHoldsStillAnswerRight() async throws {
        try await withMigratedStore { store in
            let answers = try await store.read { db in
                var answers: [Int] = []
                for round in 0..<2 {
                    for n in 0..<400 {
                        let row = try await db.raw("SELECT \(unsafeRaw: String(n)) + \(bind: round) AS n").first()
                        answers.append(try row?.decode(column: "n", as: Int.self) ?? -1)
                    }
                }
                return answers
            }
            #expect(answers == Array(0..<400) + Array(1..<401))
        }
    }
}

/// Rows hand the common types over directly; every type and every mismatch must answer as the
/// general decoder does (on PostgreSQL this runs PostgresKit's decoding: the same answers).
@Suite struct RowDecodingTests {
    @Test func commonTypesAndTheirOptionalsDecodeAsStoredAndMismatchesFail() async throws {
        try await withMigratedStore { store in
            let row = try await store.read { db in
                try #require(
                    try await db.raw(
                        """
                        SELECT 'text' AS t, CAST(NULL AS TEXT) AS nt, CAST(42 AS BIGINT) AS i,
                            CAST(NULL AS BIGINT) AS ni, CAST(2.5 AS DOUBLE PRECISION) AS d,
                            CAST(9007199254740993 AS BIGINT) AS big, '' AS empty
                        """
                    ).first()
                )
            }
            #expect(try row.decode(column: "t", as: String.self) == "text")
            #expect(try row.decode(column: "t", as: String?.self) == "text")
            #expect(try row.decode(column: "nt", as: String?.self) == nil)
            #expect(try row.decode(column: "empty", as: String.self) == "")
            #expect(try row.decode(column: "i", as: Int64.self) == 42)
            #expect(try row.decode(column: "i", as: Int.self) == 42)
            #expect(try row.decode(column: "i", as: Int64?.self) == 42)
            #expect(try row.decode(column: "i", as: Int?.self) == 42)
            #expect(try row.decode(column: "ni", as: Int64?.self) == nil)
            #expect(try row.decode(column: "ni", as: Int?.self) == nil)
            #expect(try row.decode(column: "big", as: Int64.self) == 9_007_199_254_740_993)
            #expect(try row.decode(column: "d", as: Double.self) == 2.5)
            #expect(try row.decodeNil(column: "nt"))
            #expect(try !row.decodeNil(column: "t"))
            #expect(throws: (any Error).self) { try row.decode(column: "nt", as: String.self) }
            #expect(throws: (any Error).self) { try row.decode(column: "ni", as: Int64.self) }
            #expect(throws: (any Error).self) { try row.decode(column: "missing", as: String.self) }
        }
    }
}

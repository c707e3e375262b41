import Logging
import SQLKit

/// One-off administrative statements (tests create and drop their schemas with it).
public enum PostgresAdmin {
    public static func run(_ statement: String, url: String) async throws {
        var logger = Logger(label: "kith.postgres.admin")
        logger.logLevel = .error
        let store = try await PostgresStore.open(url: url, maximumConnections: 1, logger: logger)
        do {
            try await store.write { db in try await db.raw("\(unsafeRaw: statement)").run() }
            await store.close()
        } catch {
            await store.close()
            throw error
        }
    }
}

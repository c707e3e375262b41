import KithDomain
import SQLKit

/// Marks the instance keeps about itself. A database seeded with the demo community is marked,
/// because its admin password is published in the README: `kith serve` refuses to serve it
/// without `--demo`, so it cannot quietly become a real community.
public struct InstanceMarks: Sendable {
    private let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    public func isDemo() async throws -> Bool {
        try await store.read { db in
            try await db.raw("SELECT value FROM instance_marks WHERE key = 'demo'").first() != nil
        }
    }

    /// A random secret of this instance (shared by every `kith serve` on one database), made on
    /// first use: 32 random bytes, base64url.
    public func secret(named name: String) async throws -> String {
        let key = "secret:" + name
        let proposed = SecretToken.generate(prefix: "").value
        return try await store.write { db in
            try await db.raw(
                "INSERT INTO instance_marks (key, value) VALUES (\(bind: key), \(bind: proposed)) ON CONFLICT (key) DO NOTHING"
            )
            .run()
            return try await db.raw("SELECT value FROM instance_marks WHERE key = \(bind: key)").first()?.decode(
                column: "value",
                as: String.self
            )
                ?? proposed
        }
    }

    public func markDemo() async throws {
        try await store.write { db in
            try await db.raw("INSERT INTO instance_marks (key, value) VALUES ('demo', 'true') ON CONFLICT (key) DO NOTHING").run()
        }
    }
}

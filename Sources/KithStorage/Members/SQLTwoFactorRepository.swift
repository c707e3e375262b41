public import Foundation
public import KithDomain
import SQLKit

public struct SQLTwoFactorRepository: TwoFactorRepository {
    private let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    public func state(of member: Member.ID) async throws -> TwoFactorState {
        try await store.read { db in
            let row = try await db.raw(
                "SELECT totp_secret, totp_enabled_at, totp_last_step FROM members WHERE id = \(bind: member.description)"
            ).first()
            return TwoFactorState(
                secret: try row?.optionalString("totp_secret"),
                enabledAt: try row?.optionalInt64("totp_enabled_at").map(Millis.date),
                lastStep: try row?.optionalInt64("totp_last_step")
            )
        }
    }

    public func setPendingSecret(_ secret: String, of member: Member.ID) async throws {
        try await store.write { db in
            try await db.raw(
                """
                UPDATE members SET totp_secret = \(bind: secret), totp_enabled_at = NULL, totp_last_step = NULL
                WHERE id = \(bind: member.description) AND totp_enabled_at IS NULL
                """
            ).run()
        }
    }

    public func enable(_ member: Member.ID, at: Date, step: Int64, recoveryCodeDigests: [String]) async throws {
        try await store.write { db in
            try await db.raw(
                """
                UPDATE members SET totp_enabled_at = \(bind: Millis.from(at)), totp_last_step = \(bind: step)
                WHERE id = \(bind: member.description)
                """
            ).run()
            try await db.raw("DELETE FROM recovery_codes WHERE member_id = \(bind: member.description)").run()
            for digest in recoveryCodeDigests {
                try await db.raw("INSERT INTO recovery_codes (member_id, digest) VALUES (\(bind: member.description), \(bind: digest))")
                    .run()
            }
        }
    }

    public func disable(_ member: Member.ID) async throws {
        try await store.write { db in
            try await db.raw(
                "UPDATE members SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = \(bind: member.description)"
            ).run()
            try await db.raw("DELETE FROM recovery_codes WHERE member_id = \(bind: member.description)").run()
        }
    }

    public func use(step: Int64, of member: Member.ID) async throws -> Bool {
        try await store.write { db in
            try await db.raw(
                """
                UPDATE members SET totp_last_step = \(bind: step)
                WHERE id = \(bind: member.description) AND (totp_last_step IS NULL OR totp_last_step < \(bind: step)) RETURNING id
                """
            ).first() != nil
        }
    }

    public func useRecoveryCode(digest: String, of member: Member.ID, at: Date) async throws -> Bool {
        try await store.write { db in
            try await db.raw(
                """
                UPDATE recovery_codes SET used_at = \(bind: Millis.from(at))
                WHERE member_id = \(bind: member.description) AND digest = \(bind: digest) AND used_at IS NULL RETURNING digest
                """
            ).first() != nil
        }
    }

    public func unusedRecoveryCodes(of member: Member.ID) async throws -> Int {
        try await store.read { db in
            Int(
                try await db.raw(
                    "SELECT COUNT(*) AS n FROM recovery_codes WHERE member_id = \(bind: member.description) AND used_at IS NULL"
                ).first()?.int64("n") ?? 0
            )
        }
    }

    public func createChallenge(digest: String, member: Member.ID, expiresAt: Date) async throws {
        try await store.write { db in
            try await db.raw(
                """
                INSERT INTO sign_in_challenges (digest, member_id, expires_at)
                VALUES (\(bind: digest), \(bind: member.description), \(bind: Millis.from(expiresAt)))
                """
            ).run()
            try await db.raw("DELETE FROM sign_in_challenges WHERE expires_at < \(bind: Millis.from(expiresAt) - 86_400_000)").run()
        }
    }

    public func challenge(digest: String, now: Date) async throws -> Member.ID? {
        try await store.read { db in
            try await db.raw(
                "SELECT member_id FROM sign_in_challenges WHERE digest = \(bind: digest) AND expires_at > \(bind: Millis.from(now))"
            ).first().map { Member.ID(try $0.uuid("member_id")) }
        }
    }

    public func deleteChallenge(digest: String) async throws {
        try await store.write { db in
            try await db.raw("DELETE FROM sign_in_challenges WHERE digest = \(bind: digest)").run()
        }
    }
}

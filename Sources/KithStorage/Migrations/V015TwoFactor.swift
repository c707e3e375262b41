extension Migration {
    /// Two-factor sign-in: each member's TOTP secret (pending until confirmed), the last time
    /// step used (a code works once), hashed recovery codes, and the half-finished web sign-ins
    /// waiting for their second factor.
    static let v015TwoFactor = Migration(version: 15, name: "two-factor sign-in") { _ in
        [
            "ALTER TABLE members ADD COLUMN totp_secret TEXT",
            "ALTER TABLE members ADD COLUMN totp_enabled_at BIGINT",
            "ALTER TABLE members ADD COLUMN totp_last_step BIGINT",
            """
            CREATE TABLE recovery_codes (
                member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                digest TEXT NOT NULL,
                used_at BIGINT,
                PRIMARY KEY (member_id, digest)
            )
            """,
            """
            CREATE TABLE sign_in_challenges (
                digest TEXT PRIMARY KEY,
                member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                expires_at BIGINT NOT NULL
            )
            """,
        ]
    }
}

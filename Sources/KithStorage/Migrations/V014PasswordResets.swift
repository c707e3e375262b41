extension Migration {
    /// Single-use, short-lived password reset tokens, stored by digest.
    static let v014PasswordResets = Migration(version: 14, name: "password resets") { _ in
        [
            """
            CREATE TABLE password_resets (
                digest TEXT PRIMARY KEY,
                member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                used_at BIGINT
            )
            """,
            "CREATE INDEX password_resets_member_idx ON password_resets (member_id)",
        ]
    }
}

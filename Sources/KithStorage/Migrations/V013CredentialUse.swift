extension Migration {
    /// When each session and token was last used (sessions end after a spell of disuse), which
    /// browser a session is, and tokens that expire.
    static let v013CredentialUse = Migration(version: 13, name: "credential use and expiry") { _ in
        [
            "ALTER TABLE sessions ADD COLUMN last_used_at BIGINT",
            "ALTER TABLE sessions ADD COLUMN client TEXT",
            "ALTER TABLE api_tokens ADD COLUMN last_used_at BIGINT",
            "ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT",
        ]
    }
}

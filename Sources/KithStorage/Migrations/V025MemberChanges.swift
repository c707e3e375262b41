extension Migration {
    /// The feed `MemberCards` reads: which members' rows (profile, name, affiliations, role)
    /// changed, in commit order, so every instance's cache forgets them before its next read.
    static let v025MemberChanges = Migration(version: 25, name: "member changes") { dialect in
        let sequence = dialect == .postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"
        return [
            """
            CREATE TABLE member_changes (
                seq \(sequence),
                member_id TEXT,
                changed_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX member_changes_age_idx ON member_changes (changed_at)",
        ]
    }
}

extension Migration {
    /// Members, credentials, profiles, affiliations, blocks, sessions, tokens, invitations.
    /// Uniqueness of email and handle lives here; both are stored lowercase (checked), so it is
    /// case-insensitive.
    static let v001CreateMembersAndProfiles = Migration(version: 1, name: "create members and profiles") { dialect in
        let visibility = "IN ('community', 'connections', 'only_me')"
        var statements = [
            """
            CREATE TABLE members (
                id TEXT PRIMARY KEY,
                seq BIGINT NOT NULL UNIQUE,
                email TEXT NOT NULL UNIQUE CHECK (email = lower(email)),
                handle TEXT NOT NULL UNIQUE CHECK (handle = lower(handle)),
                name TEXT NOT NULL,
                name_key TEXT NOT NULL,
                role TEXT NOT NULL CHECK (role IN ('member', 'moderator', 'admin')),
                password_hash TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX members_name_key_idx ON members (name_key, id)",
            """
            CREATE TABLE profiles (
                member_id TEXT PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
                headline TEXT NOT NULL DEFAULT '',
                bio TEXT NOT NULL DEFAULT '',
                location TEXT NOT NULL DEFAULT '',
                location_key TEXT NOT NULL DEFAULT '',
                industry TEXT NOT NULL DEFAULT '',
                industry_key TEXT NOT NULL DEFAULT '',
                career_stage TEXT CHECK (career_stage IN
                    ('student', 'early_career', 'mid_career', 'senior', 'in_transition', 'retired')),
                skills TEXT NOT NULL DEFAULT '',
                interests TEXT NOT NULL DEFAULT '',
                open_to TEXT NOT NULL DEFAULT '',
                website TEXT NOT NULL DEFAULT '',
                phone TEXT NOT NULL DEFAULT '',
                vis_contact TEXT NOT NULL DEFAULT 'connections' CHECK (vis_contact \(visibility)),
                vis_affiliations TEXT NOT NULL DEFAULT 'community' CHECK (vis_affiliations \(visibility)),
                vis_skills TEXT NOT NULL DEFAULT 'community' CHECK (vis_skills \(visibility)),
                vis_bio TEXT NOT NULL DEFAULT 'community' CHECK (vis_bio \(visibility)),
                vis_location TEXT NOT NULL DEFAULT 'community' CHECK (vis_location \(visibility)),
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX profiles_industry_idx ON profiles (industry_key)",
            "CREATE INDEX profiles_career_stage_idx ON profiles (career_stage)",
            """
            CREATE TABLE member_skills (
                member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                skill_key TEXT NOT NULL,
                PRIMARY KEY (skill_key, member_id)
            )
            """,
            "CREATE INDEX member_skills_member_idx ON member_skills (member_id)",
            """
            CREATE TABLE member_open_to (
                member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                signal TEXT NOT NULL,
                PRIMARY KEY (signal, member_id)
            )
            """,
            "CREATE INDEX member_open_to_member_idx ON member_open_to (member_id)",
            """
            CREATE TABLE affiliations (
                id TEXT PRIMARY KEY,
                member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                kind TEXT NOT NULL CHECK (kind IN ('school', 'employer', 'association', 'program')),
                organization TEXT NOT NULL,
                organization_key TEXT NOT NULL,
                title TEXT NOT NULL DEFAULT '',
                cohort TEXT NOT NULL DEFAULT '',
                cohort_key TEXT NOT NULL DEFAULT '',
                start_year BIGINT,
                end_year BIGINT,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX affiliations_member_idx ON affiliations (member_id, created_at)",
            "CREATE INDEX affiliations_organization_idx ON affiliations (organization_key, member_id)",
            "CREATE INDEX affiliations_cohort_idx ON affiliations (cohort_key, member_id)",
            """
            CREATE TABLE blocks (
                blocker_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                blocked_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (blocker_id, blocked_id),
                CHECK (blocker_id <> blocked_id)
            )
            """,
            "CREATE INDEX blocks_blocked_idx ON blocks (blocked_id, blocker_id)",
            """
            CREATE TABLE sessions (
                digest TEXT PRIMARY KEY,
                member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                csrf_token TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX sessions_member_idx ON sessions (member_id)",
            """
            CREATE TABLE api_tokens (
                digest TEXT PRIMARY KEY,
                member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX api_tokens_member_idx ON api_tokens (member_id)",
            """
            CREATE TABLE invitations (
                digest TEXT PRIMARY KEY,
                email TEXT,
                created_by TEXT REFERENCES members (id) ON DELETE SET NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                used_at BIGINT,
                used_by TEXT REFERENCES members (id) ON DELETE SET NULL
            )
            """,
            "CREATE TABLE login_failures (key TEXT NOT NULL, at BIGINT NOT NULL)",
            "CREATE INDEX login_failures_key_idx ON login_failures (key, at)",
        ]
        if dialect == .postgres {
            statements.append("CREATE SEQUENCE members_seq")
        }
        return statements
    }
}

extension Migration {
    /// Notification kinds (on notices and emails), each member's choices per kind, and the
    /// unsubscribe links already used. Existing notices get their kind from their key.
    static let v018NotificationKinds = Migration(version: 18, name: "notification kinds and choices") { _ in
        [
            "ALTER TABLE notifications ADD COLUMN kind TEXT NOT NULL DEFAULT 'event'",
            "UPDATE notifications SET kind = 'keep_in_touch' WHERE key LIKE 'follow-up:%' OR key LIKE 'keep-in-touch:%'",
            "UPDATE notifications SET kind = 'message' WHERE key LIKE 'message:%'",
            "ALTER TABLE mail_outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'security'",
            "UPDATE mail_outbox SET kind = 'keep_in_touch' WHERE key LIKE 'follow-up:%' OR key LIKE 'keep-in-touch:%'",
            "UPDATE mail_outbox SET kind = 'event' WHERE key LIKE 'event-%' OR key LIKE 'reunion:%'",
            "CREATE INDEX notifications_member_kind_idx ON notifications (member_id, kind, created_at)",
            """
            CREATE TABLE notification_settings (
                member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                email TEXT NOT NULL CHECK (email IN ('immediate', 'digest', 'off')),
                in_app BIGINT NOT NULL,
                PRIMARY KEY (member_id, kind)
            )
            """,
            """
            CREATE TABLE unsubscribe_uses (
                mail_id TEXT PRIMARY KEY,
                member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                used_at BIGINT NOT NULL
            )
            """,
        ]
    }
}

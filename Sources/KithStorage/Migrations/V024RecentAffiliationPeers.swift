extension Migration {
    /// Classmates and colleagues newest first, so that the few a suggestion needs are read from
    /// the front of the index instead of sorting everyone at a large school or employer.
    static let v024RecentAffiliationPeers = Migration(version: 24, name: "recent affiliation peers") { _ in
        ["CREATE INDEX affiliations_peers_recent_idx ON affiliations (organization_key, cohort_key, created_at, member_id)"]
    }
}

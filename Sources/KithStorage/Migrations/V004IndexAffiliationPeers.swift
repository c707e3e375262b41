extension Migration {
    /// Finding classmates (same organisation and cohort) for suggestions without scanning every
    /// member of a large school.
    static let v004IndexAffiliationPeers = Migration(version: 4, name: "index affiliation peers") { _ in
        ["CREATE INDEX affiliations_organization_cohort_idx ON affiliations (organization_key, cohort_key, member_id)"]
    }
}

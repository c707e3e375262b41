public protocol ProfileRepository: Sendable {
    func profile(of member: Member.ID) async throws -> Profile?
    /// Saves the profile (and the member's name) and refreshes the search index in one transaction.
    func save(_ profile: Profile, name: String) async throws
    func affiliations(of member: Member.ID) async throws -> [Affiliation]
    /// Inserts unless the member already has `limit` affiliations; returns false then.
    func insertAffiliation(_ affiliation: Affiliation, limit: Int) async throws -> Bool
    /// Deletes the member's own affiliation; returns false when there is none with that id.
    func deleteAffiliation(_ id: Affiliation.ID, of member: Member.ID) async throws -> Bool
}

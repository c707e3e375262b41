public protocol ProfileRepository: Sendable {
    func profile(of member: Member.ID) async throws -> Profile?
    /// Saves the profile (and the member's name) and refreshes the search index in one transaction.
    func save(_ profile: Profile, name: String) async throws
    func affiliations(of member: Member.ID) async throws -> [Affiliation]
    /// Several members' affiliations at once, each list in the same order as `affiliations(of:)`.
    func affiliations(of members: [Member.ID]) async throws -> [Member.ID: [Affiliation]]
    /// Profiles of several members at once (for lists); members without a profile are absent.
    func profiles(of members: [Member.ID]) async throws -> [Member.ID: Profile]
    /// What lists score and filter by (stage, "open to", sections' visibility) for several members
    /// at once, without their text; members without a profile are absent.
    func traits(of members: [Member.ID]) async throws -> [Member.ID: ProfileTraits]
    /// Members who show the whole community an affiliation `member` also has (same organisation
    /// and same cohort, or both without a cohort), with that shared affiliation as `member` wrote
    /// it: cohort peers first, then the newest affiliations first, at most `limit`.
    func affiliationPeers(of member: Member.ID, limit: Int) async throws -> [(member: Member, shared: Affiliation)]
    /// The same for each of several members, each list exactly as `affiliationPeers(of:limit:)`
    /// gives it, with one read of each organisation and cohort the members share between them.
    func affiliationPeers(ofEach members: [Member.ID], limit: Int) async throws -> [Member.ID: [(member: Member, shared: Affiliation)]]
    /// Inserts unless the member already has `limit` affiliations; returns false then.
    func insertAffiliation(_ affiliation: Affiliation, limit: Int) async throws -> Bool
    /// Deletes the member's own affiliation; returns false when there is none with that id.
    func deleteAffiliation(_ id: Affiliation.ID, of member: Member.ID) async throws -> Bool
    /// A mark that is the same on two reads only if this instance learned of no change to any
    /// member's name, profile (or a section's visibility), affiliations or role between them —
    /// read after catching up with every change committed before the read began, so data read
    /// after it is at least that new. Nil when the repository cannot tell.
    func memberDataMark() async throws -> UInt64?
}

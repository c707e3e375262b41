public import Foundation

/// Reading and editing profiles. Every read goes through `ProfilePolicy` for the viewer.
public struct ProfileService: Sendable {
    private let members: any MemberRepository
    private let profiles: any ProfileRepository
    private let blocks: any BlockRepository
    private let connections: any ConnectionLookup
    private let now: @Sendable () -> Date

    /// The most affiliations one member may list.
    public static let affiliationLimit = 30

    public init(
        members: any MemberRepository,
        profiles: any ProfileRepository,
        blocks: any BlockRepository,
        connections: any ConnectionLookup,
        now: @escaping @Sendable () -> Date
    ) {
        self.members = members
        self.profiles = profiles
        self.blocks = blocks
        self.connections = connections
        self.now = now
    }

    /// How `viewer` stands to `owner`.
    public func relation(of viewer: Member.ID, to owner: Member.ID) async throws -> ViewerRelation {
        if viewer == owner { return .owner }
        return try await connections.areConnected(viewer, owner) ? .connection : .member
    }

    /// A member's profile as `viewer` may see it. Unknown handles and blocked members (either
    /// way) answer the same "not found", so a block is never announced.
    public func view(handle raw: String, by viewer: Member) async throws -> ProfileView {
        guard let handle = try? Handle(raw), let member = try await members.member(handle: handle) else {
            throw DomainError.notFound("member")
        }
        if member.id != viewer.id, try await blocks.isBlocked(between: member.id, and: viewer.id) {
            throw DomainError.notFound("member")
        }
        return try await view(member, as: relation(of: viewer.id, to: member.id))
    }

    /// The owner's own full profile.
    public func own(_ member: Member) async throws -> ProfileView {
        try await view(member, as: .owner)
    }

    /// The stored profile, for the owner's edit form.
    public func editable(_ member: Member) async throws -> Profile {
        try await profiles.profile(of: member.id) ?? Profile(memberID: member.id, updatedAt: member.createdAt)
    }

    public func update(_ changes: ProfileChanges, of member: Member) async throws -> ProfileView {
        let current = try await editable(member)
        let (updated, name) = try changes.applied(to: current, name: member.name, at: now())
        try await profiles.save(updated, name: name)
        var renamed = member
        renamed.name = name
        return try await view(renamed, as: .owner)
    }

    public func addAffiliation(_ input: AffiliationInput, to member: Member) async throws -> Affiliation {
        let moment = now()
        let affiliation = try input.validated(id: .make(at: moment), memberID: member.id, now: moment)
        guard try await profiles.insertAffiliation(affiliation, limit: Self.affiliationLimit) else {
            throw DomainError.invalid(
                field: "affiliations",
                reason: "must have at most \(Self.affiliationLimit) entries; remove one first"
            )
        }
        return affiliation
    }

    public func removeAffiliation(id raw: String, of member: Member) async throws {
        guard let id = Affiliation.ID(raw), try await profiles.deleteAffiliation(id, of: member.id) else {
            throw DomainError.notFound("affiliation")
        }
    }

    private func view(_ member: Member, as relation: ViewerRelation) async throws -> ProfileView {
        let profile = try await profiles.profile(of: member.id) ?? Profile(memberID: member.id, updatedAt: member.createdAt)
        let affiliations = try await profiles.affiliations(of: member.id)
        return ProfilePolicy.view(member: member, profile: profile, affiliations: affiliations, as: relation)
    }
}

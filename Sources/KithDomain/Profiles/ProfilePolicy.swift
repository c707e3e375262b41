public import Foundation

/// How the viewer stands to the profile's owner. There is no anonymous reader: the directory and
/// profiles are for signed-in members of the community.
public enum ViewerRelation: String, Sendable, Codable, CaseIterable {
    case owner
    case connection
    case member
}

/// Answers whether two members are connected (`GraphConnectionLookup` answers from the graph).
public protocol ConnectionLookup: Sendable {
    func areConnected(_ first: Member.ID, _ second: Member.ID) async throws -> Bool
    /// Which of `others` are connected to `member` (a list's rows at once).
    func connections(of member: Member.ID, among others: [Member.ID]) async throws -> Set<Member.ID>
}

extension ConnectionLookup {
    public func connections(of member: Member.ID, among others: [Member.ID]) async throws -> Set<Member.ID> {
        var connected: Set<Member.ID> = []
        for other in others where try await areConnected(member, other) { connected.insert(other) }
        return connected
    }
}

/// The single rule for who sees which profile section. Every route, page, search result and
/// export goes through here, so a hidden section cannot leak through one path and not another.
public enum ProfilePolicy {
    public static func canSee(_ section: ProfileSection, of profile: some SectionVisibility, as relation: ViewerRelation) -> Bool {
        switch profile.visibility(of: section) {
        case .community: true
        case .connections: relation == .owner || relation == .connection
        case .onlyMe: relation == .owner
        }
    }

    /// The profile as `relation` may see it: hidden sections are nil, not empty.
    public static func view(
        member: Member,
        profile: Profile,
        affiliations: [Affiliation],
        as relation: ViewerRelation
    ) -> ProfileView {
        let can = { (section: ProfileSection) in canSee(section, of: profile, as: relation) }
        return ProfileView(
            handle: member.handle,
            name: member.name,
            role: member.role,
            headline: profile.headline,
            industry: profile.industry,
            careerStage: profile.careerStage,
            interests: profile.interests,
            openTo: profile.openTo.sorted(),
            memberSince: member.createdAt,
            relation: relation,
            bio: can(.bio) ? profile.bio : nil,
            location: can(.location) ? profile.location : nil,
            skills: can(.skills) ? profile.skills : nil,
            affiliations: can(.affiliations) ? affiliations : nil,
            contact: can(.contact)
                ? ContactDetails(email: member.email.rawValue, website: profile.website, phone: profile.phone) : nil,
            visibility: relation == .owner ? profile.visibility : nil
        )
    }
}

public struct ContactDetails: Sendable, Equatable {
    public var email: String
    public var website: String
    public var phone: String
}

/// A profile filtered for one viewer. Optional sections are nil when the viewer may not see them.
public struct ProfileView: Sendable, Equatable {
    public var handle: Handle
    public var name: String
    public var role: Role
    public var headline: String
    public var industry: String
    public var careerStage: CareerStage?
    public var interests: [String]
    public var openTo: [OpenTo]
    public var memberSince: Date
    public var relation: ViewerRelation
    public var bio: String?
    public var location: String?
    public var skills: [String]?
    public var affiliations: [Affiliation]?
    public var contact: ContactDetails?
    /// Only the owner sees their own visibility settings.
    public var visibility: [ProfileSection: Visibility]?
}

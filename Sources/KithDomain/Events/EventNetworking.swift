public import Foundation
import KithGraph

/// Someone worth meeting at an event, why, and how to start the conversation.
public struct PersonToMeet: Sendable, Equatable {
    public var member: Member
    public var headline: String
    public var score: Double
    public var reasons: [String]
    public var conversationStarter: String
}

/// What happened when the caller recorded whom they met.
public struct MetReport: Sendable, Equatable {
    public var contacts: [Contact.ID]
    public var followUpDue: Date
}

/// Turning an event into relationships: who to meet there (ranked for usefulness, not people the
/// member already knows well), and afterwards "who I met" into the private relationship manager.
/// Reasons and openers are built only from what the member may see of the other person.
public struct EventNetworking: Sendable {
    private let events: EventService
    private let repository: any EventRepository
    private let relationships: RelationshipService
    private let profiles: ProfileService
    private let contacts: ContactService
    private let graph: NetworkGraph
    private let connections: any ConnectionRepository
    private let profileRepository: any ProfileRepository
    private let blocks: any BlockRepository
    private let now: @Sendable () -> Date

    /// Attendees looked at in full (graph paths, mutuals, their profile as the viewer may see
    /// it): a few queries each. A larger event is first narrowed to this many by what their
    /// profiles show the viewer, read in two queries for everyone.
    public static let detailedCandidates = 100

    public init(
        events: EventService,
        repository: any EventRepository,
        relationships: RelationshipService,
        profiles: ProfileService,
        contacts: ContactService,
        graph: NetworkGraph,
        connections: any ConnectionRepository,
        profileRepository: any ProfileRepository,
        blocks: any BlockRepository,
        now: @escaping @Sendable () -> Date
    ) {
        self.connections = connections
        self.profileRepository = profileRepository
        self.blocks = blocks
        self.events = events
        self.repository = repository
        self.relationships = relationships
        self.profiles = profiles
        self.contacts = contacts
        self.graph = graph
        self.now = now
    }

    /// Who may see the people to meet at an event and record who they met: its organiser and
    /// those going, considering it or waiting for a place. The event page offers the links to
    /// exactly these members.
    public static func mayMeetPeople(answer: RSVPStatus?, isOrganizer: Bool) -> Bool {
        isOrganizer || answer == .going || answer == .maybe || answer == .waitlisted
    }

    private func attending(_ rawID: String, viewer: Member) async throws -> (Event, [RSVP]) {
        let event = try await events.stored(rawID)
        let rsvps = try await repository.rsvps(to: event.id)
        let mine = rsvps.first { $0.member.id == viewer.id }?.status
        guard Self.mayMeetPeople(answer: mine, isOrganizer: event.organizerID == viewer.id) else {
            throw DomainError.forbidden("RSVP to this event to see who to meet there.")
        }
        return (event, rsvps)
    }

    public func peopleToMeet(_ rawID: String, viewer: Member, limit: Int = 20) async throws -> [PersonToMeet] {
        let (event, rsvps) = try await attending(rawID, viewer: viewer)
        let mine = Mine(try await profiles.own(viewer))
        let present = rsvps.filter { $0.member.id != viewer.id && ($0.status == .going || $0.status == .maybe) }
        let candidates = try await narrowed(present.map(\.member), viewer: viewer, mine: mine, event: event)
        var people: [PersonToMeet] = []
        for member in candidates {
            guard let view = try? await profiles.view(handle: member.handle.rawValue, by: viewer),
                let relationship = try? await relationships.relationship(with: member.handle.rawValue, viewer: viewer)
            else { continue }  // blocked either way: never suggested
            let strength = try await graph.tieStrength(viewer.id, member.id) ?? 0
            if relationship.degree == 1 && strength >= 60 { continue }  // already know each other well
            var signals = Signals()
            if relationship.mutualCount > 0 {
                signals.score += Double(relationship.mutualCount).squareRoot() * WeakTie.factor(mutuals: relationship.mutualCount)
                signals.reasons.append("\(relationship.mutualCount) mutual connection\(relationship.mutualCount == 1 ? "" : "s")")
                if let mutual = relationship.mutuals.first { signals.openers.append("You both know \(mutual.name) — ask how they met.") }
            }
            signals.add(Self.profileSignals(view, mine: mine))
            if relationship.degree == 1 { signals.score *= 0.5 }
            signals.openers.append("Ask what brought them to \(event.title).")
            people.append(
                PersonToMeet(
                    member: member,
                    headline: view.headline,
                    score: signals.score,
                    reasons: signals.reasons,
                    conversationStarter: signals.openers[0]
                )
            )
        }
        return Array(people.sorted { ($0.score, $1.member.name) > ($1.score, $0.member.name) }.prefix(limit))
    }

    /// What the viewer's own profile brings to the comparison.
    struct Mine {
        let cohorts: Set<String>
        let organizations: [String: String]
        let skills: Set<String>
        let interests: Set<String>
        let careerStage: CareerStage?

        init(_ mine: ProfileView) {
            cohorts = Set((mine.affiliations ?? []).map { Text.key($0.cohort) }.filter { !$0.isEmpty })
            organizations = Dictionary(
                (mine.affiliations ?? []).map { (Text.key($0.organization), $0.organization) },
                uniquingKeysWith: { first, _ in first }
            )
            skills = Set((mine.skills ?? []).map(Text.key))
            interests = Set(mine.interests.map(Text.key))
            careerStage = mine.careerStage
        }
    }

    struct Signals {
        var score = 0.0
        var reasons: [String] = []
        var openers: [String] = []

        mutating func add(_ other: Signals) {
            score += other.score
            reasons += other.reasons
            openers += other.openers
        }
    }

    /// Attendees worth a full look: all of them at an ordinary event; at a large one, blocked
    /// members dropped and the rest ranked by what their profiles show the viewer (read for
    /// everyone at once) — never by anything the viewer may not see.
    private func narrowed(_ members: [Member], viewer: Member, mine: Mine, event: Event) async throws -> [Member] {
        guard members.count > Self.detailedCandidates else { return members }
        let blocked = Set(try await blocks.blockedEither(of: viewer.id))
        let open = members.filter { !blocked.contains($0.id) }
        let ids = open.map(\.id)
        let profilesByID = try await profileRepository.profiles(of: ids)
        let affiliationsByID = try await profileRepository.affiliations(of: ids)
        var ranked: [(member: Member, score: Double, index: Int)] = []
        for (index, member) in open.enumerated() {
            let profile = profilesByID[member.id] ?? Profile(memberID: member.id, updatedAt: member.createdAt)
            let relation: ViewerRelation =
                try await GraphConnectionLookup(graph: graph).areConnected(viewer.id, member.id) ? .connection : .member
            let view = ProfilePolicy.view(member: member, profile: profile, affiliations: affiliationsByID[member.id] ?? [], as: relation)
            ranked.append((member, Self.profileSignals(view, mine: mine).score, index))
        }
        ranked.sort { ($0.score, $1.index) > ($1.score, $0.index) }
        return ranked.prefix(Self.detailedCandidates).map(\.member)
    }

    /// Reasons to meet from the other person's profile as the viewer may see it.
    static func profileSignals(_ view: ProfileView, mine: Mine) -> Signals {
        var signals = Signals()
        for affiliation in view.affiliations ?? [] {
            let cohort = Text.key(affiliation.cohort)
            if !cohort.isEmpty, mine.cohorts.contains(cohort) {
                signals.score += 1.0
                signals.reasons.append("both \(affiliation.cohort) at \(affiliation.organization)")
                signals.openers.append("You were both \(affiliation.cohort) at \(affiliation.organization) — ask what they've done since.")
                break
            }
        }
        for affiliation in view.affiliations ?? [] where affiliation.kind == .employer {
            if let shared = mine.organizations[Text.key(affiliation.organization)] {
                signals.score += 0.6
                signals.reasons.append("both worked at \(shared)")
                signals.openers.append("You've both been at \(shared) — compare notes on how it has changed.")
                break
            }
        }
        let skills = (view.skills ?? []).filter { mine.skills.contains(Text.key($0)) }
        if let skill = skills.first {
            signals.score += 0.4 * Double(min(3, skills.count))
            signals.reasons.append("you both work with \(skills.prefix(3).joined(separator: ", "))")
            signals.openers.append("You both list \(skill) — ask what they're building with it.")
        }
        let interests = view.interests.filter { mine.interests.contains(Text.key($0)) }
        if let interest = interests.first {
            signals.score += 0.3
            signals.reasons.append("shared interest in \(interest)")
            signals.openers.append("Ask what got them into \(interest).")
        }
        if complementary(mine.careerStage, view.careerStage, theirOpenTo: view.openTo) {
            signals.score += 0.6
            signals.reasons.append(view.openTo.contains(.mentoring) ? "open to mentoring" : "at a different stage of their career")
            signals.openers.append("Ask how they'd approach the next step in your career.")
        }
        return signals
    }

    /// How much meeting at an event adds to a connection's tie strength (0–255; new ties start at 30).
    static let metStrength: UInt8 = 15

    static func complementary(_ mine: CareerStage?, _ theirs: CareerStage?, theirOpenTo: [OpenTo]) -> Bool {
        switch (mine, theirs) {
        case (.student?, .senior?), (.earlyCareer?, .senior?), (.inTransition?, .senior?), (.student?, .midCareer?):
            theirOpenTo.contains(.mentoring)
        case (.senior?, .student?), (.senior?, .earlyCareer?), (.midCareer?, .student?):
            theirOpenTo.contains(.beingMentored)
        default: false
        }
    }

    /// Records whom the caller met: each becomes (or already is) a contact with an `event`
    /// interaction and a follow-up three days later.
    public func met(_ handles: [String], note rawNote: String?, event rawID: String, viewer: Member) async throws -> MetReport {
        let (event, rsvps) = try await attending(rawID, viewer: viewer)
        guard now() >= event.startsAt.addingTimeInterval(-3_600) else {
            throw DomainError.conflict(field: "members", message: "You can record whom you met once the event has started.")
        }
        guard !handles.isEmpty, handles.count <= 100 else {
            throw DomainError.invalid(field: "members", reason: "must list from 1 to 100 handles of people at the event")
        }
        let note = try Text.clean(rawNote ?? "", field: "note", max: 1_000, multiline: true)
        let present = Dictionary(
            rsvps.filter { $0.status == .going || $0.status == .maybe }.map { ($0.member.handle.rawValue, $0.member) },
            uniquingKeysWith: { first, _ in first }
        )
        var check = Validation()
        var people: [Member] = []
        for (index, raw) in handles.enumerated() {
            let handle = raw.hasPrefix("@") ? String(raw.dropFirst()).lowercased() : raw.lowercased()
            // Someone blocked either way is "not at this event", exactly as a stranger would be.
            if let member = present[handle], member.id != viewer.id, (try? await profiles.view(handle: handle, by: viewer)) != nil {
                people.append(member)
            } else {
                check.fail("members[\(index)]", "is not someone at this event")
            }
        }
        try check.throwIfFailed()
        var ids: [Contact.ID] = []
        let when = min(now(), event.endsAt)
        let followUp = now().addingTimeInterval(3 * 86_400)
        for person in people {
            let id = try await contacts.contactID(forMember: person, owner: viewer, howWeMet: "Met at \(event.title)")
            _ = try await contacts.log(
                InteractionInput(kind: "event", occurredAt: Moment.format(when), note: note.isEmpty ? "Met at \(event.title)" : note),
                contact: id.description,
                owner: viewer
            )
            _ = try await contacts.addFollowUp(
                FollowUpInput(dueAt: Moment.format(followUp), text: "Follow up with \(person.name) after \(event.title)"),
                contact: id.description,
                owner: viewer
            )
            ids.append(id)
            // Meeting in person strengthens an existing connection (shared, public-ish evidence:
            // both were at the event); private interactions never do.
            _ = try await connections.strengthen(viewer.id, person.id, by: Self.metStrength, now: now())
        }
        try await graph.catchUp()
        return MetReport(contacts: ids, followUpDue: followUp)
    }
}

extension ContactService {
    /// The owner's contact for a member, created (linked, with how they met) when there is none.
    public func contactID(forMember member: Member, owner: Member, howWeMet: String) async throws -> Contact.ID {
        if let existing = try await contactsRepository.contact(linkedTo: member.id, owner: owner.id) { return existing.id }
        return try await create(ContactInput(name: member.name, member: member.handle.rawValue, howWeMet: howWeMet), owner: owner).contact
            .id
    }
}

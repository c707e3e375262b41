public import Foundation

/// A dormant tie worth reviving: why it is worth it, and a low-pressure message to start with.
public struct DormantTie: Sendable {
    public var contact: ContactView
    public var value: Double
    public var reasons: [String]
    public var message: String
}

/// The keep-in-touch page: who is due, who is overdue (most overdue first), which dormant ties
/// are worth reviving, and the open follow-ups.
public struct KeepInTouchBoard: Sendable {
    public var due: [ContactView]
    public var overdue: [ContactView]
    public var dormantWorthReviving: [DormantTie]
    public var followUps: [FollowUp]
    /// Names of the contacts the follow-ups are about.
    public var followUpContacts: [Contact.ID: String]
}

extension ContactService {
    public func keepInTouch(owner: Member, dormantLimit: Int = 10) async throws -> KeepInTouchBoard {
        let all = try await contactsRepository.allContacts(of: owner.id)
        let views = try await views(all, owner: owner)
        let byDue = { (a: ContactView, b: ContactView) in
            (a.state.nextDueAt ?? .distantFuture, a.contact.name) < (b.state.nextDueAt ?? .distantFuture, b.contact.name)
        }
        let followUps = try await openFollowUps(owner: owner)
        let names = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0.name) })
        return KeepInTouchBoard(
            due: views.filter { $0.status == .due }.sorted(by: byDue),
            overdue: views.filter { $0.status == .overdue }.sorted(by: byDue),
            dormantWorthReviving: try await dormantTies(views.filter { $0.status == .dormant }, owner: owner, limit: dormantLimit),
            followUps: followUps,
            followUpContacts: names.filter { id, _ in followUps.contains { $0.contactID == id } }
        )
    }

    /// Dormant ties ranked for reconnection by value: how strong the tie once was, how far the
    /// contact's field is from the owner's (novel advice comes from afar), and their seniority.
    /// Only ties that were once real count: at least two logged interactions, a "close" tag, or a
    /// strong connection on Kith.
    func dormantTies(_ dormant: [ContactView], owner: Member, limit: Int) async throws -> [DormantTie] {
        let ownProfile = try await profileService.editable(owner)
        let ownAffiliations = Set(try await profileService.own(owner).affiliations?.map { Text.key($0.organization) } ?? [])
        var ties: [DormantTie] = []
        for view in dormant {
            let contact = view.contact
            var profile: ProfileView?
            if let handle = view.memberHandle {
                profile = try? await profileService.view(handle: handle.rawValue, by: owner)
            }
            var strength: UInt8?
            if let memberID = contact.memberID { strength = try await graphStrength(owner.id, memberID) }
            let close = contact.tags.contains { Text.key($0) == "close" }
            guard contact.interactionCount >= 2 || close || (strength ?? 0) >= 60 else { continue }

            var reasons: [String] = []
            let past = min(1, Double(contact.interactionCount) / 10) * 0.6 + (close ? 0.3 : 0) + Double(strength ?? 0) / 255 * 0.3
            if contact.interactionCount >= 2 { reasons.append("\(contact.interactionCount) interactions logged") }
            if close { reasons.append("tagged close") }
            if let last = contact.lastInteractionAt {
                let years = Int(clock().timeIntervalSince(last) / (365.25 * 86_400))
                reasons.append("last in touch \(years) year\(years == 1 ? "" : "s") ago")
            }
            var distance = 0.5
            if let industry = profile?.industry, !industry.isEmpty, !ownProfile.industry.isEmpty {
                distance = Text.key(industry) == Text.key(ownProfile.industry) ? 0.2 : 1
                if distance == 1 { reasons.append("works in \(industry), a different field from yours") }
            } else if !contact.organization.isEmpty {
                distance = ownAffiliations.contains(Text.key(contact.organization)) ? 0.3 : 0.7
            }
            let seniority = Self.seniority(stage: profile?.careerStage, title: contact.title)
            if seniority >= 0.9 { reasons.append("senior in their field") }
            let value = (0.5 + past) * (0.5 + distance) * (0.5 + seniority)
            ties.append(
                DormantTie(
                    contact: view,
                    value: value,
                    reasons: reasons,
                    message: ReconnectionMessage.draft(contact: contact, profile: profile, ownOrganizations: ownAffiliations)
                )
            )
        }
        return Array(ties.sorted { ($0.value, $1.contact.contact.name) > ($1.value, $0.contact.contact.name) }.prefix(limit))
    }

    static func seniority(stage: CareerStage?, title: String) -> Double {
        let senior = [
            "chief", "director", "head", "vp", "vice president", "partner", "principal", "founder", "professor", "lead", "senior",
        ]
        let key = Text.key(title)
        if senior.contains(where: { key.contains($0) }) { return 0.9 }
        switch stage {
        case .senior, .retired: return 1
        case .midCareer: return 0.7
        case .earlyCareer, .inTransition: return 0.5
        case .student: return 0.3
        case nil: return 0.5
        }
    }

}

/// Short, low-anxiety reconnection messages built only from what the owner already knows:
/// how they met, the contact's organisation, and shared organisations. Never from anyone's private data but the owner's own.
enum ReconnectionMessage {
    static func draft(contact: Contact, profile: ProfileView?, ownOrganizations: Set<String>) -> String {
        let first = contact.firstName
        var context: String
        if !contact.howWeMet.isEmpty {
            context =
                "Something reminded me of how we met — \(contact.howWeMet.prefix(80).lowercasedFirst) — and I realised it has been far too long."
        } else if !contact.organization.isEmpty, ownOrganizations.contains(Text.key(contact.organization)) {
            context = "Something reminded me of our time at \(contact.organization) and I realised it has been far too long."
        } else if let headline = profile?.headline, !headline.isEmpty {
            context = "I saw you're now \(headline.prefix(80).lowercasedFirst) — congratulations, and it has been far too long."
        } else {
            context = "You came to mind today and I realised it has been far too long since we spoke."
        }
        let question =
            contact.organization.isEmpty
            ? "How have you been?" : "How are things at \(contact.organization)?"
        return
            "Hi \(first), \(context) \(question) No agenda at all — if you fancy a short catch-up some time, I'd love to hear what you're working on."
    }
}

extension Substring {
    var lowercasedFirst: String {
        guard let first else { return "" }
        let rest = dropFirst()
        // Keep proper nouns and acronyms: only lower a capital followed by a lowercase letter.
        if first.isUppercase, let second = rest.first, second.isLowercase { return first.lowercased() + rest }
        return String(self)
    }
}

public import Foundation
public import KithDomain

/// The demo member's private relationship manager: a realistic mix of close friends, a wider
/// network, mentors, people off Kith, a few ties gone dormant, follow-ups and help both ways,
/// so every relationship page has something to show on first run.
public struct DemoContact: Sendable {
    public var input: ContactInput
    /// (kind, days ago, note, help)
    public var interactions: [(kind: String, daysAgo: Int, note: String, help: String?)]
    /// (days from now, text)
    public var followUps: [(inDays: Int, text: String)]
}

public enum DemoContacts {
    /// Contacts for the demo member: `members` are the people on Kith they know (connections
    /// first), linked by handle; the rest are people off Kith.
    public static func contacts(knowing members: [DemoMember], seed: UInt64 = 11) -> [DemoContact] {
        var rng = SplitMix64(seed: seed)
        let notes = [
            "Talked about the reorg and what's next.", "Swapped notes on hiring.", "Coffee near the office.",
            "Caught up after the conference.", "Long call about the career switch.", "Quick catch-up between talks.",
        ]
        var result: [DemoContact] = []
        for (index, person) in members.prefix(24).enumerated() {
            let affiliation = person.affiliations.first { $0.kind == .employer } ?? person.affiliations.first
            var contact = DemoContact(
                input: ContactInput(
                    name: person.member.name,
                    member: person.member.handle.rawValue,
                    organization: affiliation?.organization ?? "",
                    title: affiliation?.title ?? "",
                    howWeMet: index % 3 == 0 ? "Northfield alumni dinner" : "",
                    tags: index < 6 ? ["close"] : index < 18 ? ["network"] : ["mentor"],
                    notes: index % 4 == 0 ? "Prefers mornings. Ask about the marathon." : ""
                ),
                interactions: [],
                followUps: []
            )
            // Close friends recently, the network less often, a few lapsed long ago (dormant).
            let dormant = index % 8 == 7
            let count = dormant ? 4 : Int(rng.next() % 4) + 1
            for step in 0..<count {
                let base = dormant ? 1_300 + step * 60 : (index < 6 ? 10 : 40) + step * (index < 6 ? 25 : 70) + Int(rng.next() % 30)
                let kinds = ["coffee", "call", "meeting", "message", "email", "event"]
                contact.interactions.append(
                    (kinds[Int(rng.next() % UInt64(kinds.count))], base, notes[Int(rng.next() % UInt64(notes.count))], nil)
                )
            }
            if index % 5 == 1 {
                contact.interactions.append(("help_received", 30 + index, "Introduced me to their hiring manager.", "intro"))
            }
            if index % 5 == 2 { contact.interactions.append(("help_given", 20 + index, "Reviewed their CV.", "feedback")) }
            if index % 7 == 3 { contact.followUps.append((index % 2 == 0 ? -1 : 5, "Send the article we talked about")) }
            result.append(contact)
        }
        let offKith: [(String, String, String)] = [
            ("Priya Raman", "Harbor Health", "Head of Data"), ("Tomás Ortega", "Ortega & Vale", "Founder"),
            ("Mei Chen", "City Library", "Archivist"), ("Jonas Berg", "Nordlys Energy", "Senior Engineer"),
            ("Amara Okafor", "Freelance", "Designer"), ("Lucas Moreau", "Atelier Moreau", "Architect"),
        ]
        for (index, (name, organization, title)) in offKith.enumerated() {
            let first = name.split(separator: " ")[0].lowercased()
            var contact = DemoContact(
                input: ContactInput(
                    name: name,
                    emails: ["\(first)@\(organization.lowercased().filter(\.isLetter)).example"],
                    phones: ["+1 555 01\(10 + index)"],
                    organization: organization,
                    title: title,
                    howWeMet: index % 2 == 0 ? "Met at a reunion" : "Friend of a friend",
                    tags: index < 2 ? ["close"] : ["network"],
                    cadenceDays: index == 5 ? 14 : nil
                ),
                interactions: [],
                followUps: []
            )
            let dormant = index == 1 || index == 3
            for step in 0..<(dormant ? 5 : 2) {
                contact.interactions.append(("coffee", dormant ? 1_200 + step * 45 : 35 + step * 80 + index * 11, "Caught up.", nil))
            }
            if index == 0 { contact.interactions.append(("help_received", 15, "Referred me for the analytics role.", "referral")) }
            if index == 4 { contact.followUps.append((2, "Ask about the portfolio review")) }
            result.append(contact)
        }
        return result
    }
}

public import Foundation

/// Two of a member's contacts that look like the same person, and why.
public struct DuplicatePair: Sendable {
    public var first: ContactView
    public var second: ContactView
    public var reason: String
}

extension ContactService {
    /// Pairs of the owner's contacts sharing an email address or the same name (ignoring case
    /// and accents), so they can be merged.
    public func duplicates(owner: Member, limit: Int = 50) async throws -> [DuplicatePair] {
        let all = try await views(try await contactsRepository.allContacts(of: owner.id), owner: owner)
        var seen: Set<[Contact.ID]> = []
        var pairs: [DuplicatePair] = []
        func add(_ group: [ContactView], reason: String) {
            guard group.count > 1 else { return }
            for other in group.dropFirst() {
                let key = [group[0].contact.id, other.contact.id].sorted { $0.description < $1.description }
                if seen.insert(key).inserted { pairs.append(DuplicatePair(first: group[0], second: other, reason: reason)) }
            }
        }
        var byEmail: [String: [ContactView]] = [:]
        for view in all { for email in view.contact.emails { byEmail[email.lowercased(), default: []].append(view) } }
        for (email, group) in byEmail.sorted(by: { $0.key < $1.key }) { add(group, reason: "both have \(email)") }
        for group in Dictionary(grouping: all, by: { Text.key($0.contact.name) }).values.sorted(by: {
            $0[0].contact.name < $1[0].contact.name
        }) {
            add(group, reason: "same name")
        }
        return Array(pairs.prefix(limit))
    }

    /// Merges `sourceID` into `targetID`: the target keeps its details and gains the source's
    /// emails, phones, tags, empty fields, notes, interactions and follow-ups; the source is deleted.
    public func merge(_ sourceID: String, into targetID: String, owner: Member) async throws -> ContactView {
        let target = try await stored(targetID, owner: owner)
        guard !sourceID.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw DomainError.invalid(field: "from", reason: "must be the id of another of your contacts")
        }
        let source = try await stored(sourceID, owner: owner)
        guard source.id != target.id else { throw DomainError.invalid(field: "from", reason: "must be another contact") }
        var merged = target
        _ = Self.merge(source, into: &merged)
        if !source.notes.isEmpty, !target.notes.isEmpty, source.notes != target.notes {
            merged.notes = String((target.notes + "\n\n" + source.notes).prefix(10_000))
        }
        if merged.memberID == nil { merged.memberID = source.memberID }
        if merged.cadenceDays == nil { merged.cadenceDays = source.cadenceDays }
        merged.updatedAt = clock()
        guard let stored = try await contactsRepository.merge(source.id, into: merged) else { throw DomainError.notFound("contact") }
        let view = try await view(stored, owner: owner, cadences: tagCadenceMap(owner))
        try await contactsRepository.store(nextDue: view.state.nextDueAt, of: stored.id, owner: owner.id)
        return view
    }
}

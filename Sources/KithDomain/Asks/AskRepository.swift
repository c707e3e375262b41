public import Foundation

/// Which asks a member is listing: those they made, or those that reached them on a route.
public enum AskRole: String, Sendable, Codable, CaseIterable {
    case asker
    /// On the route and already reached (an introduction's connector, or its target once forwarded).
    case addressee
}

/// Storage for asks. Every change goes through `update`: the stored ask is read and locked, the
/// domain's transition applied, the result and the notices it produced saved — one transaction,
/// so two answers at once cannot both win and a notice is never lost or doubled.
public protocol AskRepository: Sendable {
    /// Stores a new ask. `admit` sees the asker's and the first addressee's load, read in the
    /// same transaction as the insert (so two asks at once cannot both slip under a cap), and
    /// throws to refuse it; `notices` tell those it reached.
    func create(_ ask: Ask, admit: @escaping @Sendable (AskLoad) throws -> Void, notices: [Notice]) async throws
    func ask(_ id: Ask.ID) async throws -> Ask?
    /// Applies `change` to the stored ask and saves it with the notices it returns; nil when there
    /// is no such ask. What `change` throws is thrown, and nothing is saved.
    func update(_ id: Ask.ID, at: Date, _ change: @escaping @Sendable (inout Ask) throws -> [Notice]) async throws -> Ask?
    /// The member's asks of a kind in a role, most recent first.
    func asks(of member: Member.ID, kind: AskKind, role: AskRole, limit: Int) async throws -> [Ask]
    /// What one member set for asks of a kind reaching them (defaults when never set).
    func availability(of member: Member.ID, kind: AskKind) async throws -> AskAvailability
    func setAvailability(_ availability: AskAvailability, of member: Member.ID, kind: AskKind) async throws
    /// Open asks whose step has lapsed or whose holder is due the step's nudge, oldest first.
    func needingAttention(at: Date, limit: Int) async throws -> [Ask]

    // Asks made of several at once (help asks).

    /// How many asks of a kind reached each of `members` since `since` (the weekly budget).
    func reachedCounts(of members: [Member.ID], kind: AskKind, since: Date) async throws -> [Member.ID: Int]
    /// Members who paused asks of a kind until after `at`.
    func paused(_ members: [Member.ID], kind: AskKind, at: Date) async throws -> Set<Member.ID>
    /// Stores an offer with the asker's notice; a second offer by the same member is a conflict.
    func offer(_ offer: AskOffer, notice: Notice) async throws
    func offers(on ask: Ask.ID) async throws -> [AskOffer]
    /// Marks an offer accepted (once); nil when there is no such offer on that ask.
    func acceptOffer(_ id: AskOffer.ID, on ask: Ask.ID, at: Date) async throws -> AskOffer?
    /// How many members' asks a member was thanked for helping with (public).
    func helpedCount(of member: Member.ID) async throws -> Int
}

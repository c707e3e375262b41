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
    /// throws to refuse it; `notice` tells the first addressee.
    func create(_ ask: Ask, admit: @escaping @Sendable (AskLoad) throws -> Void, notice: Notice?) async throws
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
}

public import Foundation

/// A member's offer to help with an ask made of several at once, with a note. The asker accepts
/// offers (a conversation opens) and, when resolving, names who helped.
public struct AskOffer: Sendable, Equatable, Identifiable {
    public typealias ID = Identifier<AskOffer>

    public var id: ID
    public var ask: Ask.ID
    public var helper: Member.ID
    public var note: String
    public var createdAt: Date
    public var acceptedAt: Date?

    public init(id: ID, ask: Ask.ID, helper: Member.ID, note: String, createdAt: Date, acceptedAt: Date? = nil) {
        self.id = id
        self.ask = ask
        self.helper = helper
        self.note = note
        self.createdAt = createdAt
        self.acceptedAt = acceptedAt
    }
}

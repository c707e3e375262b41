public import Foundation

/// A request to connect, with an optional note. The recipient may accept or ignore it; an
/// ignored request is never reported as declined: its sender sees it pending until it expires.
public struct ConnectionRequest: Sendable, Equatable, Identifiable {
    public typealias ID = Identifier<ConnectionRequest>

    public var id: ID
    public var from: Member.ID
    public var to: Member.ID
    public var note: String
    public var status: RequestStatus
    public var createdAt: Date
    public var expiresAt: Date
    public var respondedAt: Date?

    public init(
        id: ID,
        from: Member.ID,
        to: Member.ID,
        note: String,
        status: RequestStatus,
        createdAt: Date,
        expiresAt: Date,
        respondedAt: Date? = nil
    ) {
        self.id = id
        self.from = from
        self.to = to
        self.note = note
        self.status = status
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.respondedAt = respondedAt
    }

    /// The status as `viewer` may know it. The sender never learns that a request was ignored:
    /// it stays pending until it expires, then it is expired ("no response").
    public func status(seenBy viewer: Member.ID, at now: Date) -> RequestStatus {
        switch status {
        case .pending, .ignored:
            if now >= expiresAt { return .expired }
            return viewer == from ? .pending : status
        default:
            return status
        }
    }
}

public enum RequestStatus: String, Sendable, Codable, CaseIterable {
    case pending
    case accepted
    case ignored
    case withdrawn
    case expired
}

/// What asking to connect led to.
public enum RequestOutcome: Sendable, Equatable {
    case created(ConnectionRequest)
    /// The other member had already asked: their request was accepted instead.
    case acceptedTheirs(ConnectionRequest)
    case alreadyConnected
    case alreadyPending
}

/// A connection as one member sees it.
public struct ConnectionEntry: Sendable, Equatable {
    public var member: Member
    public var since: Date
    public var strength: UInt8
    public var cursor: String

    public init(member: Member, since: Date, strength: UInt8, cursor: String) {
        self.member = member
        self.since = since
        self.strength = strength
        self.cursor = cursor
    }
}

/// A request with the member on the other side, for inboxes.
public struct RequestEntry: Sendable, Equatable {
    public var request: ConnectionRequest
    public var from: Member
    public var to: Member
    public var cursor: String

    public init(request: ConnectionRequest, from: Member, to: Member, cursor: String) {
        self.request = request
        self.from = from
        self.to = to
        self.cursor = cursor
    }
}

public import Foundation

/// Storage for requests and connections. Every change to a connection also appends to the
/// change feed in the same transaction, which is how every instance's graph stays current.
public protocol ConnectionRepository: Sendable {
    /// Inserts the request unless the two are connected or a request between them is open; when
    /// the recipient had already asked the sender, accepts that request instead. `notices` gives
    /// what to record in the same transaction: for a new request, its recipient's notification;
    /// for an accepted one, its sender's.
    func request(
        _ request: ConnectionRequest,
        initialStrength: UInt8,
        now: Date,
        notices: @escaping @Sendable (RequestOutcome) -> Notice?
    ) async throws -> RequestOutcome
    /// Accepts or ignores an open request addressed to `recipient`; nil when there is none. An
    /// acceptance records `accepted`'s notice for the sender in the same transaction.
    func respond(
        to id: ConnectionRequest.ID,
        by recipient: Member.ID,
        accept: Bool,
        initialStrength: UInt8,
        now: Date,
        accepted: @escaping @Sendable (ConnectionRequest) -> Notice
    )
        async throws -> ConnectionRequest?
    /// Withdraws an open request sent by `sender` (and its unread notification); false when there
    /// is none.
    func withdraw(_ id: ConnectionRequest.ID, by sender: Member.ID, now: Date) async throws -> Bool
    /// Removes the connection; false when they were not connected.
    func disconnect(_ a: Member.ID, _ b: Member.ID, now: Date) async throws -> Bool
    /// Raises the tie strength of an existing connection (capped at 255), through the change feed;
    /// false when the two are not connected.
    func strengthen(_ a: Member.ID, _ b: Member.ID, by amount: UInt8, now: Date) async throws -> Bool
    /// Removes the connection and closes open requests between the two (used when blocking).
    func sever(_ a: Member.ID, _ b: Member.ID, now: Date) async throws
    func requests(of member: Member.ID, incoming: Bool, now: Date, after: [String]?, limit: Int) async throws -> [RequestEntry]
    func connections(of member: Member.ID, after: [String]?, limit: Int) async throws -> [ConnectionEntry]
    func connectionCount(of member: Member.ID) async throws -> Int
    /// Requests `member` sent since `since`, for the weekly limit.
    func sentRequests(by member: Member.ID, since: Date) async throws -> Int
    /// Everyone `member` has an open request with, in either direction.
    func openRequestCounterparts(of member: Member.ID, now: Date) async throws -> Set<Member.ID>
    /// The same for each of several members, in one read; members with no open request are absent.
    func openRequestCounterparts(ofEach members: [Member.ID], now: Date) async throws -> [Member.ID: Set<Member.ID>]
    /// Marks open requests past their expiry as expired; returns how many.
    func expireRequests(now: Date) async throws -> Int
}

/// One change of the connection graph, in commit order.
public struct GraphChange: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case connect
        case disconnect
    }

    public var sequence: Int64
    public var kind: Kind
    public var a: Int32
    public var b: Int32
    public var strength: UInt8

    public init(sequence: Int64, kind: Kind, a: Int32, b: Int32, strength: UInt8) {
        self.sequence = sequence
        self.kind = kind
        self.a = a
        self.b = b
        self.strength = strength
    }
}

/// What the in-memory graph is built from and kept current with.
public protocol GraphFeed: Sendable {
    /// Every connection now, the highest vertex number, and the last change included.
    func snapshot() async throws -> (vertexCount: Int, edges: [(Int32, Int32, UInt8)], lastChange: Int64)
    func changes(after sequence: Int64, limit: Int) async throws -> [GraphChange]
    /// The graph vertex (dense member number) of each member.
    func vertices(of members: [Member.ID]) async throws -> [Member.ID: Int32]
    func members(at vertices: [Int32]) async throws -> [Int32: Member]
    /// The same as two lists in step (the vertices whose member was found, and those members):
    /// what a batch of suggestions builds its pool from, without a dictionary in between.
    func memberList(at vertices: [Int32]) async throws -> (vertices: [Int32], members: [Member])
}

extension GraphFeed {
    public func memberList(at vertices: [Int32]) async throws -> (vertices: [Int32], members: [Member]) {
        let found = try await members(at: vertices)
        return (Array(found.keys), Array(found.values))
    }
}

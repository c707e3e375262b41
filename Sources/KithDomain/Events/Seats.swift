/// The seat rule of an event with a capacity: who is going, who waits, and who moves up when a
/// place frees. The store reads the seats of a locked event, asks this rule what an answer or a
/// change does, and writes what it says — the rule itself is the domain's, not SQL's.
public struct Seats: Sendable, Equatable {
    /// Members going now.
    public var going: Int
    /// Members on the waitlist now.
    public var waiting: Int
    /// Places (nil: no limit).
    public var capacity: Int?

    public init(going: Int, waiting: Int, capacity: Int?) {
        self.going = going
        self.waiting = waiting
        self.capacity = capacity
    }

    /// What one member's answer does.
    public enum Answer: Sendable, Equatable {
        /// Nothing changes (going again, or asking to go while already in line at `position`).
        case unchanged(RSVPStatus, position: Int?)
        /// Store `status` (a waitlist place at `position`, the end of the line), then move the
        /// first `promote` waiting members to going.
        case store(RSVPStatus, position: Int?, promote: Int)
    }

    /// A member whose answer is now `current` (at `position` in line when waiting) answers `choice`.
    /// Going lands on the waitlist when the event is full or anyone is already waiting (nobody
    /// is overtaken); a going member who leaves frees a place for the first in line.
    public func answer(_ choice: RSVPChoice, current: RSVPStatus?, position: Int?) -> Answer {
        let status: RSVPStatus
        var place: Int?
        switch choice {
        case .going:
            if current == .going { return .unchanged(.going, position: nil) }
            if current == .waitlisted { return .unchanged(.waitlisted, position: position) }
            if let capacity, going >= capacity || waiting > 0 {
                status = .waitlisted
                place = waiting + 1
            } else {
                status = .going
            }
        case .maybe: status = .maybe
        case .notGoing: status = .notGoing
        }
        let leaves = current == .going && status != .going
        let promote = leaves ? Seats(going: going - 1, waiting: waiting, capacity: capacity).freePlaces : 0
        return .store(status, position: place, promote: promote)
    }

    /// How many of those waiting move up now: the free places, or everyone waiting when there is
    /// no limit.
    public var freePlaces: Int {
        min(waiting, capacity.map { max(0, $0 - going) } ?? waiting)
    }

    /// Whether the event may take `capacity` places: never fewer than those already going.
    public static func allows(capacity: Int?, going: Int) -> Bool {
        capacity.map { $0 >= going } ?? true
    }
}

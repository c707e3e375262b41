public import Foundation

/// The limits that keep asking humane for both sides: how many asks one member may have open,
/// how many may wait on one addressee, an addressee's own monthly limit, and a "not until"
/// pause. A member over a limit is told so plainly; an addressee's limit or pause is told as
/// "not available just now", never as a refusal.
public struct AskCaps: Sendable, Equatable {
    /// Open asks of one kind an asker may have at once.
    public var openPerAsker: Int
    /// Open asks of one kind that may wait on one addressee at once.
    public var waitingPerAddressee: Int

    public init(openPerAsker: Int, waitingPerAddressee: Int) {
        self.openPerAsker = openPerAsker
        self.waitingPerAddressee = waitingPerAddressee
    }

    public static func standard(for kind: AskKind) -> AskCaps {
        switch kind {
        case .introduction: AskCaps(openPerAsker: 5, waitingPerAddressee: 10)
        case .referral: AskCaps(openPerAsker: 3, waitingPerAddressee: 10)
        case .mentorship: AskCaps(openPerAsker: 3, waitingPerAddressee: 5)
        // For help asks the second number is each member's weekly "asked of me" budget, applied
        // by routing (someone at it is not chosen), never refused to the asker.
        case .help: AskCaps(openPerAsker: 3, waitingPerAddressee: 3)
        }
    }
}

/// What an addressee set for themselves: at most this many a month, and none until a date.
public struct AskAvailability: Sendable, Equatable {
    public var monthlyLimit: Int?
    public var pausedUntil: Date?

    public init(monthlyLimit: Int? = nil, pausedUntil: Date? = nil) {
        self.monthlyLimit = monthlyLimit
        self.pausedUntil = pausedUntil
    }

    /// Whether one more ask may reach them now, given how many reached them in the last 30 days.
    public func admits(receivedThisMonth: Int, at moment: Date) -> Bool {
        if let pausedUntil, moment < pausedUntil { return false }
        if let monthlyLimit, receivedThisMonth >= monthlyLimit { return false }
        return true
    }
}

/// The counts a new ask is checked against, read by storage in one go.
public struct AskLoad: Sendable, Equatable {
    /// The asker's open asks of this kind.
    public var askerOpen: Int
    /// Per addressee on the route: open asks of this kind waiting on them, asks of this kind that
    /// reached them in the last 30 days (storage counts them only for an addressee with a monthly
    /// limit, the one rule that reads them: 0 otherwise), and what they set.
    public var addressees: [Member.ID: Addressee]

    public struct Addressee: Sendable, Equatable {
        public var waiting: Int
        public var receivedThisMonth: Int
        public var availability: AskAvailability

        public init(waiting: Int, receivedThisMonth: Int, availability: AskAvailability) {
            self.waiting = waiting
            self.receivedThisMonth = receivedThisMonth
            self.availability = availability
        }
    }

    public init(askerOpen: Int, addressees: [Member.ID: Addressee]) {
        self.askerOpen = askerOpen
        self.addressees = addressees
    }
}

extension AskCaps {
    /// Refuses a new ask over a limit: 429 for the asker's own, a conflict naming the field for
    /// an addressee who is not taking asks now (`field` is the route member's field, e.g. `via`).
    public func check(_ load: AskLoad, kind: AskKind, route: [(field: String, member: Member.ID)], at moment: Date) throws(DomainError) {
        if load.askerOpen >= openPerAsker { throw .rateLimited(retryAfterSeconds: Int(kind.timing.stepLifetime)) }
        // Only the first addressee is checked now: later ones are checked when it reaches them.
        guard let first = route.first, let addressee = load.addressees[first.member] else { return }
        if addressee.waiting >= waitingPerAddressee
            || !addressee.availability.admits(receivedThisMonth: addressee.receivedThisMonth, at: moment)
        {
            throw .conflict(
                field: first.field,
                message: "They are not taking \(kind.noun)s just now. Try another path, or ask the community."
            )
        }
    }
}

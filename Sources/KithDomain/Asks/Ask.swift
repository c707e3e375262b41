public import Foundation

/// The one ask mechanism behind introductions, and later referral requests and mentorship
/// requests: an asker, a route of addressees who each answer in turn (an introduction goes to the
/// connector, then — only if forwarded — to the target; a referral request to one referrer; a
/// mentorship request to one mentor), a written ask, a deadline per step with a nudge before it,
/// a quiet "not this time", and an outcome the asker reports.
///
/// The rules live here as pure transitions on a value; storage applies them and the job runner
/// expires and nudges. Whatever happens, the asker is never told who passed: a pass by anyone on
/// the route and an expiry read the same (`AskStatus.closed`).
public struct Ask: Sendable, Equatable, Identifiable {
    public typealias ID = Identifier<Ask>

    public var id: ID
    public var kind: AskKind
    public var asker: Member.ID
    /// Who answers, in order. The member at `step` holds the ask now; those after have not seen it.
    public var route: [Member.ID]
    public var step: Int
    public var stage: AskStage
    /// What the ask is for (an introduction's purpose, a referral's role, …), as the kind defines.
    public var purpose: String
    /// The forwardable part: who the asker is and why, written to be passed on as it is.
    public var blurb: String
    /// The specific ask.
    public var request: String
    /// Notes added on the way (a connector's note when forwarding), shown to later steps.
    public var notes: [AskNote]
    public var createdAt: Date
    /// When the current step began and when it lapses.
    public var stepStartedAt: Date
    public var deadline: Date
    public var nudgedAt: Date?
    public var closedAt: Date?
    public var outcome: AskOutcome?
    /// What a help ask is about and whom it is for (empty for asks along a route).
    public var topic: AskTopic
    /// Those reached at once who said "not for me" (a help ask): they no longer see it, and the
    /// asker is never told.
    public var declined: Set<Member.ID>
    /// Those the asker thanked as having helped when resolving it (a help ask).
    public var helpers: [Member.ID]
    /// Why each member asked at once was chosen, in words they see (a help ask).
    public var reasons: [Member.ID: String]

    public init(
        id: ID,
        kind: AskKind,
        asker: Member.ID,
        route: [Member.ID],
        purpose: String,
        blurb: String,
        request: String,
        at moment: Date
    ) {
        self.id = id
        self.kind = kind
        self.asker = asker
        self.route = route
        self.step = 0
        self.stage = .waiting
        self.purpose = purpose
        self.blurb = blurb
        self.request = request
        self.notes = []
        self.createdAt = moment
        self.stepStartedAt = moment
        self.deadline = moment.addingTimeInterval(kind.timing.stepLifetime)
        self.outcome = nil
        self.topic = AskTopic()
        self.declined = []
        self.helpers = []
        self.reasons = [:]
        // Asked of several at once: every one of them is reached now.
        if kind.delivery == .atOnce { self.step = max(0, route.count - 1) }
    }

    /// Who holds the ask now; nil once it is accepted or closed, and for an ask made of several at once.
    public var holder: Member.ID? { stage == .waiting && kind.delivery == .inTurn ? route[step] : nil }

    /// The latest an open ask can be answered, as the asker is told: fixed when it is made (the
    /// step deadlines move as it is forwarded, which would tell the asker how far it went).
    public var answerBy: Date { createdAt.addingTimeInterval(kind.timing.stepLifetime * Double(route.count)) }

    /// Whether the ask is still in someone's hands (it counts against caps).
    public var isOpen: Bool { stage == .waiting }

    /// How `viewer` sees the ask: nil when they may not see it at all (someone later on the
    /// route before it reaches them, or anyone not on it).
    public func status(seenBy viewer: Member.ID) -> AskStatus? {
        if viewer == asker {
            switch stage {
            // Not "forwarded": a later "not this time" would then tell the asker that it was
            // not the first on the route who passed.
            case .waiting: return .requested
            case .accepted: return .accepted
            // Whoever passed, or if nobody answered: the same words.
            case .passed, .expired: return .closed
            case .withdrawn: return .withdrawn
            }
        }
        guard let position = route.firstIndex(of: viewer), position <= step else { return nil }
        if kind.delivery == .atOnce {
            guard !declined.contains(viewer) else { return nil }
            return stage == .waiting ? .waitingForYou : stage == .accepted ? .accepted : .closed
        }
        switch stage {
        case .waiting: return position == step ? .waitingForYou : .forwarded
        case .accepted: return .accepted
        case .passed, .expired, .withdrawn: return .closed
        }
    }

    /// The holder sends the ask on to the next member of the route, with an optional note.
    public mutating func forward(by member: Member.ID, note: String, at moment: Date) throws(DomainError) {
        try requireHolder(member)
        guard step + 1 < route.count else {
            throw .conflict(field: nil, message: "This ask has nobody further to go to: accept it or pass.")
        }
        if !note.isEmpty { notes.append(AskNote(author: member, text: note, at: moment)) }
        step += 1
        startStep(at: moment)
    }

    /// The last member of the route says yes.
    public mutating func accept(by member: Member.ID, at moment: Date) throws(DomainError) {
        try requireHolder(member)
        guard step == route.count - 1 else {
            throw .conflict(field: nil, message: "Forward it or pass: someone further on the route answers it.")
        }
        stage = .accepted
        closedAt = moment
    }

    /// The holder declines, quietly: the asker is told only "not this time".
    public mutating func pass(by member: Member.ID, at moment: Date) throws(DomainError) {
        try requireHolder(member)
        stage = .passed
        closedAt = moment
    }

    /// The asker takes it back while it is open.
    public mutating func withdraw(by member: Member.ID, at moment: Date) throws(DomainError) {
        guard member == asker else { throw .notFound(kind.noun) }
        guard isOpen else { throw .conflict(field: nil, message: "This ask is no longer open.") }
        stage = .withdrawn
        closedAt = moment
    }

    /// The step's time ran out: closed, read by the asker like a pass.
    public mutating func expire(at moment: Date) -> Bool {
        guard isOpen, moment >= deadline else { return false }
        stage = .expired
        closedAt = moment
        return true
    }

    /// Whether the holder is due the one nudge of this step (after `nudgeAfter`, before the deadline).
    public func needsNudge(at moment: Date) -> Bool {
        isOpen && nudgedAt == nil && moment >= stepStartedAt.addingTimeInterval(kind.timing.nudgeAfter) && moment < deadline
    }

    /// The asker says what came of an accepted ask, once.
    public mutating func record(_ outcome: AskOutcome, by member: Member.ID) throws(DomainError) {
        guard member == asker else { throw .notFound(kind.noun) }
        guard stage == .accepted else {
            throw .conflict(field: "outcome", message: "An outcome can be recorded once the ask has been accepted.")
        }
        guard self.outcome == nil else { throw .conflict(field: "outcome", message: "The outcome is already recorded.") }
        self.outcome = outcome
    }

    /// One of those asked at once says "not for me": it leaves their list; nobody is told.
    public mutating func decline(by member: Member.ID) throws(DomainError) {
        guard kind.delivery == .atOnce, status(seenBy: member) != nil else { throw .notFound(kind.noun) }
        guard member != asker else { throw .conflict(field: nil, message: "This is your own ask: withdraw it instead.") }
        guard isOpen else { throw .conflict(field: nil, message: "This ask is no longer open.") }
        declined.insert(member)
    }

    /// The asker closes an ask made of several at once, naming who helped (none: it did not work out).
    public mutating func resolve(by member: Member.ID, helpers: [Member.ID], at moment: Date) throws(DomainError) {
        guard member == asker else { throw .notFound(kind.noun) }
        guard kind.delivery == .atOnce else { throw .conflict(field: nil, message: "This ask is answered along its route.") }
        guard isOpen else { throw .conflict(field: nil, message: "This ask is no longer open.") }
        self.helpers = helpers
        outcome = helpers.isEmpty ? .noFit : .helped
        stage = .accepted
        closedAt = moment
    }

    private func requireHolder(_ member: Member.ID) throws(DomainError) {
        // Anyone who does not hold it now learns nothing about it from trying.
        guard holder == member else {
            if status(seenBy: member) == nil { throw .notFound(kind.noun) }
            throw .conflict(field: nil, message: "This ask is not waiting for you.")
        }
    }

    private mutating func startStep(at moment: Date) {
        stepStartedAt = moment
        deadline = moment.addingTimeInterval(kind.timing.stepLifetime)
        nudgedAt = nil
    }
}

/// Which capability an ask belongs to; each sets its timing, caps, delivery and words.
public enum AskKind: String, Sendable, Codable, CaseIterable {
    case introduction
    case referral
    case mentorship
    /// A help ask: routed to a few members most able to help, all at once.
    case help

    public var timing: AskTiming {
        switch self {
        case .introduction, .referral: AskTiming(stepLifetime: 7 * 86_400, nudgeAfter: 4 * 86_400)
        case .mentorship: AskTiming(stepLifetime: 5 * 86_400, nudgeAfter: 3 * 86_400)
        // Open two weeks; no reminder (those asked owe nothing).
        case .help: AskTiming(stepLifetime: 14 * 86_400, nudgeAfter: 14 * 86_400)
        }
    }

    public var delivery: AskDelivery { self == .help ? .atOnce : .inTurn }

    /// What "not found" names.
    public var noun: String {
        switch self {
        case .introduction: "introduction"
        case .referral: "referral request"
        case .mentorship: "mentorship request"
        case .help: "ask"
        }
    }
}

/// How an ask reaches its addressees: one after another along its route (each may pass it on),
/// or all at once (any may offer; the asker resolves it).
public enum AskDelivery: Sendable, Equatable {
    case inTurn
    case atOnce
}

/// What a help ask is about and whom it is for.
public struct AskTopic: Sendable, Equatable {
    public var audience: AskAudience?
    public var skills: [String]
    public var organization: String

    public init(audience: AskAudience? = nil, skills: [String] = [], organization: String = "") {
        self.audience = audience
        self.skills = skills
        self.organization = organization
    }
}

/// Whom a help ask may be routed to.
public enum AskAudience: String, Sendable, Codable, CaseIterable {
    case connections
    case secondDegree = "second_degree"
    case community
    case group
}

public struct AskTiming: Sendable, Equatable {
    /// How long each member on the route has to answer.
    public var stepLifetime: TimeInterval
    /// When, within a step, its holder gets one reminder.
    public var nudgeAfter: TimeInterval
}

/// Where an ask is, as stored.
public enum AskStage: String, Sendable, Codable, CaseIterable {
    case waiting
    case accepted
    case passed
    case expired
    case withdrawn
}

/// Where an ask is, as one viewer may know it. The asker sees `closed` for a pass and an expiry alike.
public enum AskStatus: String, Sendable, Codable, CaseIterable {
    /// With the first member of the route.
    case requested
    /// Sent on: with someone further along (to those who sent it on; the asker reads `requested`).
    case forwarded
    /// Waiting for the viewer's answer.
    case waitingForYou = "waiting_for_you"
    case accepted
    /// Not this time — whoever passed, or nobody answered in time.
    case closed
    case withdrawn
}

/// What came of an accepted ask, as its asker reports it.
public enum AskOutcome: String, Sendable, Codable, CaseIterable {
    case met
    case helped
    case hired
    case noFit = "no_fit"

    /// Whether the ask led to time together (logged as an interaction, raising tie strength).
    public var metUp: Bool { self != .noFit }
}

public struct AskNote: Sendable, Equatable {
    public var author: Member.ID
    public var text: String
    public var at: Date

    public init(author: Member.ID, text: String, at: Date) {
        self.author = author
        self.text = text
        self.at = at
    }
}

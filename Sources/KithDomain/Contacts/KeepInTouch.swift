public import Foundation

/// A keep-in-touch interval: get in touch after `ideal` days, and it is overdue after `maximum`.
public struct Cadence: Sendable, Equatable {
    public var idealDays: Int
    public var maximumDays: Int

    public init(idealDays: Int, maximumDays: Int) {
        self.idealDays = idealDays
        self.maximumDays = maximumDays
    }

    /// A contact's own interval: overdue half an interval after it is due (at most ten years).
    public init(days: Int) {
        self.init(idealDays: days, maximumDays: max(days, min(3650, days + max(1, days / 2))))
    }

    public static func validated(ideal: Int, maximum: Int?) throws(DomainError) -> Cadence {
        var check = Validation()
        if !(1...3650).contains(ideal) { check.fail("ideal_days", "must be a whole number of days from 1 to 3650") }
        // Compared, not `(ideal...3650).contains`: that range traps when ideal is above 3650.
        if let maximum, maximum < ideal || maximum > 3650 {
            check.fail("max_days", "must be at least ideal_days and at most 3650")
        }
        try check.throwIfFailed()
        return maximum.map { Cadence(idealDays: ideal, maximumDays: $0) } ?? Cadence(days: ideal)
    }
}

/// A tag's keep-in-touch interval, set by the owner (or the built-in default for that tag).
public struct TagCadence: Sendable, Equatable {
    public var tag: String
    public var cadence: Cadence
    public var isDefault: Bool

    public init(tag: String, cadence: Cadence, isDefault: Bool = false) {
        self.tag = tag
        self.cadence = cadence
        self.isDefault = isDefault
    }

    /// Cadences every member starts with, until they set their own for the tag.
    public static let defaults: [TagCadence] = [
        TagCadence(tag: "close", cadence: Cadence(idealDays: 30, maximumDays: 45), isDefault: true),
        TagCadence(tag: "network", cadence: Cadence(idealDays: 90, maximumDays: 135), isDefault: true),
    ]
}

public enum ContactStatus: String, Sendable, Codable, CaseIterable {
    case ok, due, overdue, dormant
}

/// Where a contact stands: when the owner should be in touch next, and whether that is late.
public struct KeepInTouchState: Sendable, Equatable {
    public var cadence: Cadence?
    public var nextDueAt: Date?
    public var status: ContactStatus
}

/// The keep-in-touch rules. Any logged interaction moves the timer on: the reference point is
/// always the latest interaction, so a reminder never fires for someone just seen.
public struct KeepInTouchRules: Sendable {
    /// No interaction for this long makes a tie dormant (3 years by default).
    public var dormantAfter: TimeInterval

    public init(dormantAfter: TimeInterval = 3 * 365 * 86_400) {
        self.dormantAfter = dormantAfter
    }

    /// The contact's own cadence wins; otherwise the tightest cadence among its tags.
    public func cadence(for contact: Contact, tagCadences: [String: Cadence]) -> Cadence? {
        if let days = contact.cadenceDays { return Cadence(days: days) }
        return contact.tags.compactMap { tagCadences[Text.key($0)] }.min { $0.idealDays < $1.idealDays }
    }

    public func state(of contact: Contact, tagCadences: [String: Cadence], now: Date) -> KeepInTouchState {
        let cadence = cadence(for: contact, tagCadences: tagCadences)
        var state = KeepInTouchState(cadence: cadence, nextDueAt: nil, status: .ok)
        if let cadence {
            let reference = contact.lastInteractionAt ?? contact.createdAt
            let snooze = contact.snoozedUntil ?? .distantPast
            let due = max(reference.addingTimeInterval(Double(cadence.idealDays) * 86_400), snooze)
            let overdue = max(reference.addingTimeInterval(Double(cadence.maximumDays) * 86_400), snooze)
            state.nextDueAt = due
            state.status = now >= overdue ? .overdue : now >= due ? .due : .ok
        }
        if let last = contact.lastInteractionAt, now.timeIntervalSince(last) >= dormantAfter,
            contact.snoozedUntil.map({ now >= $0 }) ?? true
        {
            state.status = .dormant
        }
        return state
    }
}

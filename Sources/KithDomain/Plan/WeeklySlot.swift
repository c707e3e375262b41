public import Foundation

/// The member's weekly networking time: a weekday (1 Monday … 7 Sunday), a local time, a time
/// zone and a length of 15 to 120 minutes.
public struct WeeklySlot: Sendable, Equatable {
    public var weekday: Int
    public var hour: Int
    public var minute: Int
    public var timeZone: String
    public var minutes: Int

    public init(weekday: Int, hour: Int, minute: Int, timeZone: String, minutes: Int) {
        self.weekday = weekday
        self.hour = hour
        self.minute = minute
        self.timeZone = timeZone
        self.minutes = minutes
    }

    public static let lengths = 15...120

    /// "HH:MM"
    public var time: String { String(format: "%02d:%02d", hour, minute) }

    /// A slot as asked for, each part checked and named when wrong.
    public static func parse(weekday: Int?, time: String?, timeZone: String?, minutes: Int?) throws(DomainError) -> WeeklySlot {
        var check = Validation()
        if weekday == nil || !(1...7).contains(weekday ?? 0) {
            check.fail("weekday", "must be a whole number from 1 (Monday) to 7 (Sunday)")
        }
        var hour = 0
        var minute = 0
        let parts = (time ?? "").split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }), let h = Int(parts[0]), let m = Int(parts[1]),
            (0...23).contains(h), (0...59).contains(m)
        {
            hour = h
            minute = m
        } else {
            check.fail("time", "must be a time of day as HH:MM, from 00:00 to 23:59")
        }
        if TimeZone(identifier: timeZone ?? "") == nil || (timeZone ?? "").isEmpty {
            check.fail("timezone", "must be an IANA time zone such as Europe/London")
        }
        if minutes == nil || !lengths.contains(minutes ?? 0) {
            check.fail("minutes", "must be from \(lengths.lowerBound) to \(lengths.upperBound)")
        }
        try check.throwIfFailed()
        return WeeklySlot(weekday: weekday!, hour: hour, minute: minute, timeZone: timeZone!, minutes: minutes!)
    }

    /// A sensible first slot for a career stage (the member changes it in a moment).
    public static func suggested(for stage: CareerStage?, timeZone: String = "UTC") -> WeeklySlot {
        switch stage {
        case .student: WeeklySlot(weekday: 3, hour: 18, minute: 0, timeZone: timeZone, minutes: 30)
        case .earlyCareer: WeeklySlot(weekday: 2, hour: 12, minute: 30, timeZone: timeZone, minutes: 30)
        case .inTransition: WeeklySlot(weekday: 1, hour: 9, minute: 30, timeZone: timeZone, minutes: 60)
        case .senior: WeeklySlot(weekday: 5, hour: 16, minute: 0, timeZone: timeZone, minutes: 45)
        case .retired: WeeklySlot(weekday: 3, hour: 10, minute: 0, timeZone: timeZone, minutes: 45)
        case .midCareer, nil: WeeklySlot(weekday: 4, hour: 8, minute: 30, timeZone: timeZone, minutes: 30)
        }
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? .gmt
        return calendar
    }

    /// The start of the week (Monday 00:00 in the slot's time zone) that holds `date`.
    public func weekStart(of date: Date) -> Date {
        calendar.dateInterval(of: .weekOfYear, for: date)?.start ?? date
    }

    /// This week's slot start (which may be past).
    public func start(inWeekOf date: Date) -> Date {
        let monday = weekStart(of: date)
        let day = calendar.date(byAdding: .day, value: weekday - 1, to: monday) ?? monday
        return calendar.date(bySettingHour: hour, minute: minute, second: 0, of: day) ?? day
    }

    /// The RRULE weekday code.
    var byDay: String { ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][weekday - 1] }
}

/// How many conversations a member means to have, per week or per month: shown as progress,
/// never as a streak.
public struct NetworkingGoal: Sendable, Equatable {
    public enum Period: String, Sendable, CaseIterable {
        case week
        case month
    }

    public var conversations: Int
    public var period: Period

    public init(conversations: Int, period: Period) {
        self.conversations = conversations
        self.period = period
    }

    public static func suggested(for stage: CareerStage?) -> NetworkingGoal {
        switch stage {
        case .student, .inTransition: NetworkingGoal(conversations: 2, period: .week)
        case .senior, .retired: NetworkingGoal(conversations: 3, period: .month)
        case .earlyCareer, .midCareer, nil: NetworkingGoal(conversations: 4, period: .month)
        }
    }
}

public import Foundation
import Synchronization

/// The member's weekly networking time: a weekday (1 Monday … 7 Sunday), a local time, a time
/// zone and a length of 15 to 120 minutes.
public struct WeeklySlot: Sendable, Hashable {
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

    /// The start of the week (Monday 00:00 in the slot's time zone) that holds `date`.
    public func weekStart(of date: Date) -> Date {
        CalendarPeriods.start(of: .weekOfYear, holding: date, in: timeZone)
    }

    /// This week's slot start (which may be past).
    public func start(inWeekOf date: Date) -> Date {
        let monday = weekStart(of: date)
        return CalendarPeriods.remembered(SlotInWeek(slot: self, monday: monday)) {
            let calendar = CalendarPeriods.calendar(in: timeZone)
            let day = calendar.date(byAdding: .day, value: weekday - 1, to: monday) ?? monday
            return calendar.date(bySettingHour: hour, minute: minute, second: 0, of: day) ?? day
        }
    }

    /// A slot's start in a given week, as `CalendarPeriods` remembers it.
    struct SlotInWeek: Hashable {
        let slot: WeeklySlot
        let monday: Date
    }

    /// The RRULE weekday code.
    var byDay: String { ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][weekday - 1] }
}

/// Where weeks and months start in a time zone, and slots' starts in a week, remembered:
/// Foundation's calendar arithmetic takes tens of microseconds a call on Linux, and the weekly run
/// asks the same few questions for every member (docs/BENCHMARKS.md). Calendar periods partition
/// time, so a remembered period answers exactly for any moment inside it.
enum CalendarPeriods {
    private struct PeriodKey: Hashable {
        let component: Calendar.Component
        let timeZone: String
    }

    private struct Memory {
        var periods: [PeriodKey: DateInterval] = [:]
        var slots: [WeeklySlot.SlotInWeek: Date] = [:]
    }

    private static let memory = Mutex(Memory())

    static func calendar(in timeZone: String) -> Calendar {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? .gmt
        return calendar
    }

    /// The start of the week (`.weekOfYear`) or month (`.month`) holding `date` in `timeZone`.
    static func start(of component: Calendar.Component, holding date: Date, in timeZone: String) -> Date {
        let key = PeriodKey(component: component, timeZone: timeZone)
        if let known = memory.withLock({ $0.periods[key] }), known.start <= date, date < known.end { return known.start }
        guard let interval = calendar(in: timeZone).dateInterval(of: component, for: date) else { return date }
        memory.withLock { memory in
            if memory.periods.count > 1_000 { memory.periods = [:] }
            memory.periods[key] = interval
        }
        return interval.start
    }

    /// A slot's start in a week: remembered, or worked out by `compute`.
    static func remembered(_ key: WeeklySlot.SlotInWeek, compute: () -> Date) -> Date {
        if let known = memory.withLock({ $0.slots[key] }) { return known }
        let start = compute()
        memory.withLock { memory in
            if memory.slots.count > 10_000 { memory.slots = [:] }
            memory.slots[key] = start
        }
        return start
    }
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

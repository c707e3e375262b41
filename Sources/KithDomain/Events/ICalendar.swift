public import Foundation

/// iCalendar (RFC 5545) for events: UTC times, escaped text, folded lines, CRLF.
public enum ICalendar {
    public static func calendar(
        _ events: [Event],
        recurring: [RecurringCalendarEntry] = [],
        publicURL: String,
        links: any PageLinks,
        name: String?,
        method: Bool = true
    ) -> String {
        // A CalDAV resource carries no METHOD (RFC 4791 §4.1); a feed or a download does.
        var lines =
            ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Kith//Events//EN", "CALSCALE:GREGORIAN"] + (method ? ["METHOD:PUBLISH"] : [])
        if let name { lines.append("X-WR-CALNAME:" + ContentLines.escape(name)) }
        for event in events {
            lines += [
                "BEGIN:VEVENT",
                "UID:\(event.id)@kith",
                "DTSTAMP:" + utc(event.updatedAt),
                "DTSTART:" + utc(event.startsAt),
                "DTEND:" + utc(event.endsAt),
                "SUMMARY:" + ContentLines.escape(event.title),
                "STATUS:" + (event.cancelledAt == nil ? "CONFIRMED" : "CANCELLED"),
                "URL:" + publicURL + links.event(event.id),
                "X-KITH-TIMEZONE:" + ContentLines.escape(event.timeZone),
            ]
            if !event.description.isEmpty { lines.append("DESCRIPTION:" + ContentLines.escape(event.description)) }
            let place = [event.location, event.onlineURL].filter { !$0.isEmpty }.joined(separator: " — ")
            if !place.isEmpty { lines.append("LOCATION:" + ContentLines.escape(place)) }
            lines += ["SEQUENCE:\(Int(event.updatedAt.timeIntervalSince(event.createdAt)))", "END:VEVENT"]
        }
        for entry in recurring {
            // Local time in the member's zone, so the slot stays at 08:30 across daylight saving.
            let start = entry.slot.start(inWeekOf: entry.firstWeek)
            lines += [
                "BEGIN:VEVENT",
                "UID:" + entry.uid,
                "DTSTAMP:" + utc(start),
                "DTSTART;TZID=\(entry.slot.timeZone):" + local(start, in: entry.slot.timeZone),
                "DURATION:PT\(entry.slot.minutes)M",
                "RRULE:FREQ=WEEKLY;BYDAY=\(entry.slot.byDay)",
                "SUMMARY:" + ContentLines.escape(entry.summary),
                "DESCRIPTION:" + ContentLines.escape(entry.description),
                "URL:" + entry.url,
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(ContentLines.fold).joined()
    }

    /// `20261201T083000` in `zone`.
    static func local(_ date: Date, in zone: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone) ?? .gmt
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02dT%02d%02d%02d",
            parts.year ?? 0,
            parts.month ?? 0,
            parts.day ?? 0,
            parts.hour ?? 0,
            parts.minute ?? 0,
            parts.second ?? 0
        )
    }

    /// `20261201T180000Z`
    static func utc(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ",
            parts.year ?? 0,
            parts.month ?? 0,
            parts.day ?? 0,
            parts.hour ?? 0,
            parts.minute ?? 0,
            parts.second ?? 0
        )
    }
}

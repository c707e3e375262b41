import Foundation
import Hummingbird
import KithDomain

/// An `addressbook-query` filter (RFC 6352 §10.5): property filters with text matches or
/// `is-not-defined`, combined with `anyof` (the default) or `allof`.
struct CardFilter {
    struct TextMatch {
        var text: String
        var matchType: String
        var negate: Bool

        func matches(_ value: String) -> Bool {
            let value = value.lowercased()
            let text = text.lowercased()
            let found: Bool =
                switch matchType {
                case "equals": value == text
                case "starts-with": value.hasPrefix(text)
                case "ends-with": value.hasSuffix(text)
                default: value.contains(text)
                }
            return found != negate
        }
    }

    struct PropertyFilter {
        var name: String
        var notDefined: Bool
        var allOf: Bool
        var matches: [TextMatch]

        func matches(_ values: [String]) -> Bool {
            if notDefined { return values.isEmpty }
            guard !values.isEmpty else { return false }
            guard !matches.isEmpty else { return true }
            let results = matches.map { match in values.contains { match.matches($0) } }
            return allOf ? !results.contains(false) : results.contains(true)
        }
    }

    var allOf = false
    var properties: [PropertyFilter] = []

    init(_ node: XMLNode?) throws(DAVError) {
        guard let node else { return }
        allOf = node.attributes["test"]?.lowercased() == "allof"
        for filter in node.children(DAVNamespace.cardDAV, "prop-filter") {
            guard let name = filter.attributes["name"]?.uppercased(), !name.isEmpty else {
                throw DAVError(.badRequest, "A prop-filter needs a name.", precondition: QName(DAVNamespace.cardDAV, "supported-filter"))
            }
            let matches = filter.children(DAVNamespace.cardDAV, "text-match").map {
                TextMatch(
                    text: $0.text,
                    matchType: $0.attributes["match-type"]?.lowercased() ?? "contains",
                    negate: $0.attributes["negate-condition"]?.lowercased() == "yes"
                )
            }
            properties.append(
                PropertyFilter(
                    name: name,
                    notDefined: filter.child(DAVNamespace.cardDAV, "is-not-defined") != nil,
                    allOf: filter.attributes["test"]?.lowercased() == "allof",
                    matches: matches
                )
            )
        }
    }

    func matches(_ card: String) -> Bool {
        guard !properties.isEmpty else { return true }
        let values = Self.values(of: card)
        let results = properties.map { $0.matches(values[$0.name] ?? []) }
        return allOf ? !results.contains(false) : results.contains(true)
    }

    /// Each property's values (group and parameters dropped, text unescaped).
    static func values(of card: String) -> [String: [String]] {
        let unfolded = card.replacingOccurrences(of: "\r\n ", with: "").replacingOccurrences(of: "\r\n\t", with: "")
        var values: [String: [String]] = [:]
        for line in unfolded.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            var name = line[..<colon].prefix { $0 != ";" }.uppercased()
            if let dot = name.lastIndex(of: ".") { name = String(name[name.index(after: dot)...]) }
            let value = line[line.index(after: colon)...].replacingOccurrences(of: "\\,", with: ",")
                .replacingOccurrences(of: "\\;", with: ";").replacingOccurrences(of: "\\n", with: "\n")
            values[name, default: []].append(value)
        }
        return values
    }
}

/// A `calendar-query` filter (RFC 4791 §9.7): VCALENDAR, then a component (VEVENT or VTODO, or
/// any) with an optional time range.
struct CalendarFilter {
    var component: CalendarItem.Component?
    var start: Date?
    var end: Date?

    init(_ node: XMLNode?) throws(DAVError) {
        guard let calendar = node?.child(DAVNamespace.calDAV, "comp-filter") else { return }
        guard calendar.attributes["name"]?.uppercased() == "VCALENDAR" else {
            throw DAVError(
                .forbidden,
                "A calendar-query filters VCALENDAR first.",
                precondition: QName(DAVNamespace.calDAV, "valid-filter")
            )
        }
        guard let inner = calendar.child(DAVNamespace.calDAV, "comp-filter") else { return }
        switch inner.attributes["name"]?.uppercased() {
        case "VEVENT": component = .event
        case "VTODO": component = .todo
        default:
            // A component the calendar never holds (VJOURNAL): nothing matches.
            component = nil
            start = .distantFuture
            end = .distantFuture
            return
        }
        if let range = inner.child(DAVNamespace.calDAV, "time-range") {
            start = try range.attributes["start"].map(Self.date)
            end = try range.attributes["end"].map(Self.date)
            if let start, let end, end <= start {
                throw DAVError(
                    .forbidden,
                    "A time range must end after it starts.",
                    precondition: QName(DAVNamespace.calDAV, "valid-filter")
                )
            }
        }
    }

    func matches(_ item: CalendarItem) -> Bool {
        if start == .distantFuture && end == .distantFuture { return false }
        if let component, item.component != component { return false }
        return item.overlaps(start: start, end: end)
    }

    /// `20261201T000000Z`
    static func date(_ text: String) throws(DAVError) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        guard let date = formatter.date(from: text.trimmingCharacters(in: .whitespaces)) else {
            throw DAVError(
                .forbidden,
                "A time range is written as UTC date-times like 20261201T000000Z.",
                precondition: QName(DAVNamespace.calDAV, "valid-filter")
            )
        }
        return date
    }
}

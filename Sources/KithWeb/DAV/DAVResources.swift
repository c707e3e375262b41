import Foundation
import KithDomain

/// What a DAV address names, and the addresses Kith gives each.
enum DAVResource {
    case root
    case principal
    case addressBookHome
    case addressBook(token: String)
    case card(CardRecord, text: String?)
    case calendarHome
    case calendar(token: String?)
    case item(CalendarItem, withData: Bool)
}

/// The addresses of one member's DAV collections (collections end in a slash).
struct DAVPaths {
    let handle: String

    static let root = "/dav/"
    var principal: String { "/dav/principals/\(handle)/" }
    var addressBookHome: String { "/dav/addressbooks/\(handle)/" }
    var addressBook: String { addressBookHome + "contacts/" }
    var calendarHome: String { "/dav/calendars/\(handle)/" }
    var calendar: String { calendarHome + "events/" }

    func card(_ name: String) -> String { addressBook + Self.encode(name) }
    func item(_ name: String) -> String { calendar + Self.encode(name) }

    static func encode(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#;"))) ?? name
    }

    /// The resource name an `href` of a REPORT names inside `collection`, or nil when it names
    /// anything else (another member's collection included).
    static func name(in href: String, collection: String) -> String? {
        var path = href.trimmingCharacters(in: .whitespacesAndNewlines)
        if path.lowercased().hasPrefix("http://") || path.lowercased().hasPrefix("https://") {
            guard let url = URL(string: path) else { return nil }
            path = url.path(percentEncoded: true)
        }
        guard let decoded = path.removingPercentEncoding, decoded.hasPrefix(collection) else { return nil }
        let name = String(decoded.dropFirst(collection.count))
        guard !name.isEmpty, !name.contains("/") else { return nil }
        return name
    }

    /// Sync tokens are URIs (RFC 6578); what follows this prefix is Kith's own.
    static let syncPrefix = "http://kith.invalid/sync/"
}

/// The DAV properties Kith answers, per kind of resource.
enum DAVProperty {
    static let d = DAVNamespace.dav
    static let card = DAVNamespace.cardDAV
    static let cal = DAVNamespace.calDAV

    static let resourceType = QName(d, "resourcetype")
    static let displayName = QName(d, "displayname")
    static let etag = QName(d, "getetag")
    static let contentType = QName(d, "getcontenttype")
    static let currentUserPrincipal = QName(d, "current-user-principal")
    static let principalURL = QName(d, "principal-URL")
    static let owner = QName(d, "owner")
    static let supportedReports = QName(d, "supported-report-set")
    static let privileges = QName(d, "current-user-privilege-set")
    static let syncToken = QName(d, "sync-token")
    static let ctag = QName(DAVNamespace.calendarServer, "getctag")
    static let addressBookHome = QName(card, "addressbook-home-set")
    static let addressData = QName(card, "address-data")
    static let addressBookDescription = QName(card, "addressbook-description")
    static let supportedAddressData = QName(card, "supported-address-data")
    static let cardMaxSize = QName(card, "max-resource-size")
    static let calendarHome = QName(cal, "calendar-home-set")
    static let calendarUserAddresses = QName(cal, "calendar-user-address-set")
    static let calendarData = QName(cal, "calendar-data")
    static let calendarDescription = QName(cal, "calendar-description")
    static let supportedComponents = QName(cal, "supported-calendar-component-set")
    static let supportedCalendarData = QName(cal, "supported-calendar-data")
    static let calendarColor = QName(DAVNamespace.apple, "calendar-color")

    /// What `allprop` answers for each kind of resource.
    static func all(for resource: DAVResource) -> [QName] {
        switch resource {
        case .root, .principal:
            [resourceType, displayName, currentUserPrincipal, principalURL, addressBookHome, calendarHome]
        case .addressBookHome, .calendarHome: [resourceType, displayName, currentUserPrincipal, owner]
        case .addressBook:
            [resourceType, displayName, currentUserPrincipal, owner, syncToken, ctag, addressBookDescription, supportedAddressData]
        case .calendar:
            [resourceType, displayName, currentUserPrincipal, owner, syncToken, ctag, calendarDescription, supportedComponents]
        case .card, .item: [resourceType, etag, contentType]
        }
    }

    /// The value of `property` on `resource` as inner XML, or nil when it has none.
    static func value(_ property: QName, of resource: DAVResource, member: Member, paths: DAVPaths) -> String? {
        let href = { (path: String) in "<d:href>\(DAVWriter.escape(path))</d:href>" }
        switch property {
        case currentUserPrincipal: return href(paths.principal)
        case principalURL: if case .principal = resource { return href(paths.principal) }
        case addressBookHome: if case .principal = resource { return href(paths.addressBookHome) }
        case calendarHome: if case .principal = resource { return href(paths.calendarHome) }
        case calendarUserAddresses:
            if case .principal = resource { return href("mailto:" + member.email.rawValue) }
        case owner:
            switch resource {
            case .addressBookHome, .addressBook, .calendarHome, .calendar: return href(paths.principal)
            default: return nil
            }
        default: break
        }
        switch resource {
        case .root:
            if property == resourceType { return "<d:collection/>" }
            if property == displayName { return "Kith" }
        case .principal:
            if property == resourceType { return "<d:collection/><d:principal/>" }
            if property == displayName { return DAVWriter.escape(member.name) }
        case .addressBookHome:
            if property == resourceType { return "<d:collection/>" }
            if property == displayName { return "Address books" }
        case .calendarHome:
            if property == resourceType { return "<d:collection/>" }
            if property == displayName { return "Calendars" }
        case .addressBook(let token):
            switch property {
            case resourceType: return "<d:collection/><card:addressbook/>"
            case displayName: return "Kith contacts"
            case addressBookDescription: return "Your private contacts in Kith: only you see them."
            case syncToken, ctag: return DAVWriter.escape(token)
            case supportedAddressData:
                return "<card:address-data-type content-type=\"text/vcard\" version=\"3.0\"/>"
                    + "<card:address-data-type content-type=\"text/vcard\" version=\"4.0\"/>"
            case cardMaxSize: return String(CardDocument.byteLimit)
            case supportedReports: return reports(["addressbook-multiget", "addressbook-query"], namespace: "card")
            case privileges:
                return ["read", "write", "write-content", "bind", "unbind", "read-current-user-privilege-set"].map {
                    "<d:privilege><d:\($0)/></d:privilege>"
                }.joined()
            default: return nil
            }
        case .calendar(let token):
            switch property {
            case resourceType: return "<d:collection/><cal:calendar/>"
            case displayName: return "Kith"
            case calendarDescription: return "Your events, weekly networking time and follow-ups in Kith (read-only)."
            case syncToken, ctag: return token.map(DAVWriter.escape)
            case supportedComponents: return "<cal:comp name=\"VEVENT\"/><cal:comp name=\"VTODO\"/>"
            case supportedCalendarData: return "<cal:calendar-data content-type=\"text/calendar\" version=\"2.0\"/>"
            case calendarColor: return "#2F6B4FFF"
            case supportedReports: return reports(["calendar-multiget", "calendar-query", "free-busy-query"], namespace: "cal")
            case privileges:
                return "<d:privilege><d:read/></d:privilege><d:privilege><cal:read-free-busy/></d:privilege>"
                    + "<d:privilege><d:read-current-user-privilege-set/></d:privilege>"
            default: return nil
            }
        case .card(let record, let text):
            switch property {
            case resourceType: return ""
            case etag: return DAVWriter.escape(record.etag)
            case contentType: return "text/vcard; charset=utf-8"
            case addressData: return text.map(DAVWriter.escape)
            default: return nil
            }
        case .item(let item, let withData):
            switch property {
            case resourceType: return ""
            case etag: return DAVWriter.escape(item.etag)
            case contentType: return "text/calendar; charset=utf-8; component=\(item.component.rawValue.lowercased())"
            case calendarData: return withData ? DAVWriter.escape(item.body) : nil
            default: return nil
            }
        }
        return nil
    }

    static func reports(_ names: [String], namespace prefix: String) -> String {
        (["<d:sync-collection/>"] + names.map { "<\(prefix):\($0)/>" }).map {
            "<d:supported-report><d:report>\($0)</d:report></d:supported-report>"
        }.joined()
    }
}

/// Which properties a PROPFIND or REPORT asks for.
enum PropertyRequest {
    case all
    case names
    case some([QName])

    /// From the `<d:propfind>` body or a REPORT's `<d:prop>`; an empty body is `allprop`.
    init(_ node: XMLNode?) {
        guard let node else {
            self = .all
            return
        }
        if node.child(DAVNamespace.dav, "propname") != nil {
            self = .names
        } else if let prop = node.name == QName(DAVNamespace.dav, "prop") ? node : node.child(DAVNamespace.dav, "prop") {
            self = .some(prop.children.map(\.name))
        } else {
            self = .all
        }
    }

    func asks(_ property: QName) -> Bool {
        if case .some(let names) = self { return names.contains(property) }
        return false
    }

    /// One `<d:response>` for `resource` at `href`.
    func response(href: String, resource: DAVResource, member: Member, paths: DAVPaths) -> String {
        switch self {
        case .names:
            let names = DAVProperty.all(for: resource)
            return DAVWriter.response(href: href, found: names.map { ($0, "") }, missing: [])
        case .all:
            let found = DAVProperty.all(for: resource).compactMap { name in
                DAVProperty.value(name, of: resource, member: member, paths: paths).map { (name, $0) }
            }
            return DAVWriter.response(href: href, found: found, missing: [])
        case .some(let names):
            var found: [(QName, String)] = []
            var missing: [QName] = []
            for name in names {
                if let value = DAVProperty.value(name, of: resource, member: member, paths: paths) {
                    found.append((name, value))
                } else {
                    missing.append(name)
                }
            }
            return DAVWriter.response(href: href, found: found, missing: missing)
        }
    }
}

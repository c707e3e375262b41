import Foundation
import Hummingbird
import KithDomain

/// CardDAV (RFC 6352, two-way) and CalDAV (RFC 4791, read-only) over the member's contacts and
/// calendar, with sync-collection (RFC 6578) on both. Every handler first checks that the
/// handle in the address is the signed-in member's: anyone else's collections are 404.
struct DAVController {
    let services: Services
    let publicURL: String
    let links = RouteLinks()

    /// Request bodies other than cards: XML queries are small.
    static let xmlByteLimit = 1024 * 1024
    static let davHeader = HTTPFields.Element.Name("DAV")!
    static let depthHeader = HTTPFields.Element.Name("Depth")!
    static let allow = "OPTIONS, GET, PUT, DELETE, PROPFIND, PROPPATCH, REPORT"

    func addRoutes(dav: RouterGroup<AppRequestContext>, open: RouterGroup<AppRequestContext>) {
        for endpoint in [
            DAVRoutes.Discovery.cardDAV, DAVRoutes.Discovery.cardDAVFind, DAVRoutes.Discovery.calDAV, DAVRoutes.Discovery.calDAVFind,
            DAVRoutes.Discovery.root,
        ] {
            open.on(endpoint) { _, _ in Response(status: .movedPermanently, headers: [.location: DAVPaths.root]) }
        }
        for endpoint in DAVRoutes.options {
            dav.on(RouterPath(endpoint.template), method: .options) { _, _ in
                Response(status: .ok, headers: [Self.davHeader: "1, 3, addressbook, calendar-access", .allow: Self.allow])
            }
        }
        dav.on(DAVRoutes.root, use: root)
        dav.on(DAVRoutes.principal, use: principal)
        dav.on(DAVRoutes.addressBookHome, use: addressBookHome)
        dav.on(DAVRoutes.addressBook, use: addressBook)
        dav.on(DAVRoutes.addressBookReport, use: addressBookReport)
        dav.on(DAVRoutes.addressBookProperties, use: refuseProperties)
        dav.on(DAVRoutes.card, use: card)
        dav.on(DAVRoutes.cardProperties, use: cardProperties)
        dav.on(DAVRoutes.putCard, use: putCard)
        dav.on(DAVRoutes.deleteCard, use: deleteCard)
        dav.on(DAVRoutes.calendarHome, use: calendarHome)
        dav.on(DAVRoutes.calendar, use: calendar)
        dav.on(DAVRoutes.calendarReport, use: calendarReport)
        dav.on(DAVRoutes.calendarProperties, use: refuseProperties)
        dav.on(DAVRoutes.item, use: item)
        dav.on(DAVRoutes.itemProperties, use: itemProperties)
        dav.on(DAVRoutes.putItem, use: refuseWrite)
        dav.on(DAVRoutes.deleteItem, use: refuseWrite)
    }

    // MARK: Principal and homes

    @Sendable func root(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let properties = try await propfind(request)
        let paths = DAVPaths(handle: member.handle.rawValue)
        return DAVWriter.multistatus([properties.response(href: DAVPaths.root, resource: .root, member: member, paths: paths)])
    }

    @Sendable func principal(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (member, paths) = try owner(context)
        let properties = try await propfind(request)
        return DAVWriter.multistatus([properties.response(href: paths.principal, resource: .principal, member: member, paths: paths)])
    }

    @Sendable func addressBookHome(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (member, paths) = try owner(context)
        let properties = try await propfind(request)
        var responses = [properties.response(href: paths.addressBookHome, resource: .addressBookHome, member: member, paths: paths)]
        if try Self.depth(request) == 1 {
            let token = try await services.addressBook.token(of: member)
            responses.append(
                properties.response(
                    href: paths.addressBook,
                    resource: .addressBook(token: Self.syncURI(token.text)),
                    member: member,
                    paths: paths
                )
            )
        }
        return DAVWriter.multistatus(responses)
    }

    @Sendable func calendarHome(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (member, paths) = try owner(context)
        let properties = try await propfind(request)
        var responses = [properties.response(href: paths.calendarHome, resource: .calendarHome, member: member, paths: paths)]
        if try Self.depth(request) == 1 {
            let token = try await calendarToken(of: member, if: properties)
            responses.append(properties.response(href: paths.calendar, resource: .calendar(token: token), member: member, paths: paths))
        }
        return DAVWriter.multistatus(responses)
    }

    // MARK: The address book

    @Sendable func addressBook(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (member, paths) = try owner(context)
        let properties = try await propfind(request)
        let depth = try Self.depth(request)
        let token = try await services.addressBook.token(of: member)
        var responses = [
            properties.response(
                href: paths.addressBook,
                resource: .addressBook(token: Self.syncURI(token.text)),
                member: member,
                paths: paths
            )
        ]
        if depth == 1 {
            responses += try await cardResponses(
                try await services.addressBook.records(of: member),
                properties: properties,
                member: member,
                paths: paths,
                version: nil
            )
        }
        return DAVWriter.multistatus(responses)
    }

    @Sendable func addressBookReport(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (member, paths) = try owner(context)
        let report = try XMLNode.parse(try await Self.body(request, limit: Self.xmlByteLimit))
        let properties = PropertyRequest(report.child(DAVNamespace.dav, "prop"))
        let version = Self.vCardVersion(report.child(DAVNamespace.dav, "prop")?.child(DAVNamespace.cardDAV, "address-data"))
        switch report.name {
        case QName(DAVNamespace.cardDAV, "addressbook-multiget"):
            let names = report.children(DAVNamespace.dav, "href").map(\.text)
            var responses: [String] = []
            var wanted: [String] = []
            for href in names {
                if let name = DAVPaths.name(in: href, collection: paths.addressBook) {
                    wanted.append(name)
                } else {
                    responses.append(DAVWriter.gone(href: href.trimmingCharacters(in: .whitespacesAndNewlines)))
                }
            }
            let found = try await services.addressBook.vCards(
                of: member,
                named: wanted,
                version: version,
                publicURL: publicURL,
                links: links
            )
            let foundNames = Set(found.map { $0.record.name.lowercased() })
            for entry in found {
                responses.append(
                    properties.response(
                        href: paths.card(entry.record.name),
                        resource: .card(entry.record, text: entry.text),
                        member: member,
                        paths: paths
                    )
                )
            }
            for name in wanted where !foundNames.contains(name.lowercased()) { responses.append(DAVWriter.gone(href: paths.card(name))) }
            return DAVWriter.multistatus(responses)
        case QName(DAVNamespace.cardDAV, "addressbook-query"):
            let filter = try CardFilter(report.child(DAVNamespace.cardDAV, "filter"))
            let limit = report.child(DAVNamespace.cardDAV, "limit")?.child(DAVNamespace.cardDAV, "nresults").flatMap { Int($0.text) }
            let records = try await services.addressBook.records(of: member)
            let cards = try await services.addressBook.vCards(
                of: member,
                named: records.map(\.name),
                version: version,
                publicURL: publicURL,
                links: links
            )
            var matching = cards.filter { filter.matches($0.text) }
            if let limit, limit >= 0, matching.count > limit { matching = Array(matching.prefix(limit)) }
            return DAVWriter.multistatus(
                matching.map {
                    properties.response(
                        href: paths.card($0.record.name),
                        resource: .card($0.record, text: $0.text),
                        member: member,
                        paths: paths
                    )
                }
            )
        case QName(DAVNamespace.dav, "sync-collection"):
            let raw = report.child(DAVNamespace.dav, "sync-token")?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            let changes: AddressBookChanges
            if raw.isEmpty {
                changes = AddressBookChanges(
                    token: try await services.addressBook.token(of: member),
                    changed: try await services.addressBook.records(of: member),
                    deleted: []
                )
            } else {
                guard raw.hasPrefix(DAVPaths.syncPrefix), let token = AddressBookToken(raw.dropFirst(DAVPaths.syncPrefix.count)),
                    let found = try await services.addressBook.changes(of: member, since: token)
                else { throw Self.invalidSyncToken }
                changes = found
            }
            var responses = try await cardResponses(changes.changed, properties: properties, member: member, paths: paths, version: version)
            responses += changes.deleted.map { DAVWriter.gone(href: paths.card($0)) }
            return DAVWriter.multistatus(responses, syncToken: Self.syncURI(changes.token.text))
        default:
            throw Self.unsupportedReport
        }
    }

    @Sendable func card(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (member, _) = try owner(context)
        let name = try Self.resourceName(context, "card")
        let accept = request.headers[.accept] ?? ""
        let version: VCard.Version? = accept.contains("version=3.0") ? .v3 : nil
        guard
            let found = try await services.addressBook.vCards(
                of: member,
                named: [name],
                version: version,
                publicURL: publicURL,
                links: links
            )
            .first
        else { throw DAVError(.notFound, "There is no card at this address.") }
        var headers = HTTPFields()
        headers[.contentType] = "text/vcard; charset=utf-8"
        headers[.eTag] = found.record.etag
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: found.text)))
    }

    @Sendable func cardProperties(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (member, paths) = try owner(context)
        let name = try Self.resourceName(context, "card")
        let properties = try await propfind(request)
        guard let record = try await services.addressBook.vCards(of: member, named: [name], publicURL: publicURL, links: links).first
        else { throw DAVError(.notFound, "There is no card at this address.") }
        return DAVWriter.multistatus([
            properties.response(
                href: paths.card(record.record.name),
                resource: .card(record.record, text: record.text),
                member: member,
                paths: paths
            )
        ])
    }

    @Sendable func putCard(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (member, _) = try owner(context)
        let name = try Self.resourceName(context, "card")
        let type = (request.headers[.contentType] ?? "text/vcard").lowercased()
        guard ["text/vcard", "text/x-vcard", "text/directory"].contains(where: { type.hasPrefix($0) }) else {
            throw DAVError(
                .unsupportedMediaType,
                "Cards are sent as text/vcard.",
                precondition: QName(DAVNamespace.cardDAV, "supported-address-data")
            )
        }
        let body: Data
        do {
            body = try await Self.body(request, limit: CardDocument.byteLimit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw CardProblem.tooLarge
        }
        let outcome = try await services.addressBook.put(
            body,
            name: name,
            owner: member,
            ifMatch: request.headers[.ifMatch],
            ifNoneMatch: request.headers[.ifNoneMatch]
        )
        switch outcome {
        case .created(let etag): return Response(status: .created, headers: [.eTag: etag])
        case .updated(let etag): return Response(status: .noContent, headers: [.eTag: etag])
        }
    }

    @Sendable func deleteCard(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (member, _) = try owner(context)
        let name = try Self.resourceName(context, "card")
        try await services.addressBook.delete(name: name, owner: member, ifMatch: request.headers[.ifMatch])
        return Response(status: .noContent)
    }

    // MARK: The calendar

    @Sendable func calendar(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (member, paths) = try owner(context)
        let properties = try await propfind(request)
        let depth = try Self.depth(request)
        let items = try await services.calendar.items(of: member, publicURL: publicURL, links: links)
        let token = try await calendarToken(of: member, if: properties, items: items)
        var responses = [properties.response(href: paths.calendar, resource: .calendar(token: token), member: member, paths: paths)]
        if depth == 1 {
            let withData = properties.asks(DAVProperty.calendarData)
            responses += items.map {
                properties.response(href: paths.item($0.name), resource: .item($0, withData: withData), member: member, paths: paths)
            }
        }
        return DAVWriter.multistatus(responses)
    }

    @Sendable func calendarReport(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (member, paths) = try owner(context)
        let report = try XMLNode.parse(try await Self.body(request, limit: Self.xmlByteLimit))
        let properties = PropertyRequest(report.child(DAVNamespace.dav, "prop"))
        let withData = properties.asks(DAVProperty.calendarData)
        let items = try await services.calendar.items(of: member, publicURL: publicURL, links: links)
        func responses(_ chosen: [CalendarItem]) -> [String] {
            chosen.map {
                properties.response(href: paths.item($0.name), resource: .item($0, withData: withData), member: member, paths: paths)
            }
        }
        switch report.name {
        case QName(DAVNamespace.calDAV, "calendar-multiget"):
            let byName = Dictionary(items.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            var output: [String] = []
            for href in report.children(DAVNamespace.dav, "href").map(\.text) {
                if let name = DAVPaths.name(in: href, collection: paths.calendar), let item = byName[name] {
                    output += responses([item])
                } else {
                    output.append(DAVWriter.gone(href: href.trimmingCharacters(in: .whitespacesAndNewlines)))
                }
            }
            return DAVWriter.multistatus(output)
        case QName(DAVNamespace.calDAV, "calendar-query"):
            let filter = try CalendarFilter(report.child(DAVNamespace.calDAV, "filter"))
            return DAVWriter.multistatus(responses(items.filter(filter.matches)))
        case QName(DAVNamespace.calDAV, "free-busy-query"):
            guard let range = report.child(DAVNamespace.calDAV, "time-range"), let rawStart = range.attributes["start"],
                let rawEnd = range.attributes["end"]
            else { throw DAVError(.badRequest, "A free-busy-query needs a time-range with a start and an end.") }
            let (start, end) = (try CalendarFilter.date(rawStart), try CalendarFilter.date(rawEnd))
            guard end > start else { throw DAVError(.badRequest, "A time range must end after it starts.") }
            var headers = HTTPFields()
            headers[.contentType] = "text/calendar; charset=utf-8"
            let body = PersonalCalendar.freeBusy(items, start: start, end: end, now: Date())
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
        case QName(DAVNamespace.dav, "sync-collection"):
            let raw = report.child(DAVNamespace.dav, "sync-token")?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            let token = try await services.calendar.token(for: items, of: member)
            if raw.isEmpty { return DAVWriter.multistatus(responses(items), syncToken: Self.syncURI(token)) }
            guard raw.hasPrefix(DAVPaths.syncPrefix),
                let changes = try await services.calendar.changes(
                    since: String(raw.dropFirst(DAVPaths.syncPrefix.count)),
                    items: items,
                    of: member
                )
            else { throw Self.invalidSyncToken }
            return DAVWriter.multistatus(
                responses(changes.changed) + changes.deleted.map { DAVWriter.gone(href: paths.item($0)) },
                syncToken: Self.syncURI(token)
            )
        default:
            throw Self.unsupportedReport
        }
    }

    @Sendable func item(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (member, _) = try owner(context)
        let name = try Self.resourceName(context, "item")
        guard let item = try await services.calendar.items(of: member, publicURL: publicURL, links: links).first(where: { $0.name == name })
        else { throw DAVError(.notFound, "There is no calendar item at this address.") }
        var headers = HTTPFields()
        headers[.contentType] = "text/calendar; charset=utf-8"
        headers[.eTag] = item.etag
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: item.body)))
    }

    @Sendable func itemProperties(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (member, paths) = try owner(context)
        let name = try Self.resourceName(context, "item")
        let properties = try await propfind(request)
        guard let item = try await services.calendar.items(of: member, publicURL: publicURL, links: links).first(where: { $0.name == name })
        else { throw DAVError(.notFound, "There is no calendar item at this address.") }
        return DAVWriter.multistatus([
            properties.response(
                href: paths.item(item.name),
                resource: .item(item, withData: properties.asks(DAVProperty.calendarData)),
                member: member,
                paths: paths
            )
        ])
    }

    @Sendable func refuseWrite(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try owner(context)
        throw DAVError(
            .forbidden,
            "The Kith calendar is read-only: change events, your weekly slot and follow-ups in Kith itself.",
            precondition: QName(DAVNamespace.dav, "need-privileges")
        )
    }

    /// PROPPATCH: nothing of a collection can be changed from a client; each property asked to
    /// change is answered 403 (RFC 4918 §9.2), so the client knows and nothing half-changes.
    @Sendable func refuseProperties(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, paths) = try owner(context)
        let update = try XMLNode.parse(try await Self.body(request, limit: Self.xmlByteLimit))
        guard update.name == QName(DAVNamespace.dav, "propertyupdate") else {
            throw DAVError(.badRequest, "PROPPATCH takes a propertyupdate document.")
        }
        let names = (update.children(DAVNamespace.dav, "set") + update.children(DAVNamespace.dav, "remove")).flatMap {
            $0.child(DAVNamespace.dav, "prop")?.children.map(\.name) ?? []
        }
        let href = request.uri.path.hasPrefix(paths.calendar.dropLast()) ? paths.calendar : paths.addressBook
        var xml = "<d:response><d:href>\(DAVWriter.escape(href))</d:href><d:propstat><d:prop>"
        xml += names.map { DAVWriter.open($0, empty: true) }.joined()
        xml += "</d:prop><d:status>HTTP/1.1 403 Forbidden</d:status>"
        xml += "<d:responsedescription>Kith's collections cannot be changed from an app.</d:responsedescription></d:propstat></d:response>"
        return DAVWriter.multistatus([xml])
    }

    // MARK: Helpers

    /// The signed-in member, when the handle in the address is theirs; 404 otherwise (another
    /// member's collections are not there for anyone else, admins included).
    func owner(_ context: AppRequestContext) throws -> (Member, DAVPaths) {
        let member = try context.requireMember()
        guard context.parameters.get("handle")?.lowercased() == member.handle.rawValue else {
            throw DAVError(.notFound, "There is nothing at this address.")
        }
        return (member, DAVPaths(handle: member.handle.rawValue))
    }

    func propfind(_ request: Request) async throws -> PropertyRequest {
        _ = try Self.depth(request)
        let body = try await Self.body(request, limit: Self.xmlByteLimit)
        guard !body.isEmpty else { return .all }
        let node = try XMLNode.parse(body)
        guard node.name == QName(DAVNamespace.dav, "propfind") else { throw DAVError(.badRequest, "PROPFIND takes a propfind document.") }
        return PropertyRequest(node)
    }

    func cardResponses(
        _ records: [CardRecord],
        properties: PropertyRequest,
        member: Member,
        paths: DAVPaths,
        version: VCard.Version?
    ) async throws -> [String] {
        guard properties.asks(DAVProperty.addressData) else {
            return records.map {
                properties.response(href: paths.card($0.name), resource: .card($0, text: nil), member: member, paths: paths)
            }
        }
        return try await services.addressBook.vCards(
            of: member,
            named: records.map(\.name),
            version: version,
            publicURL: publicURL,
            links: links
        )
        .map {
            properties.response(href: paths.card($0.record.name), resource: .card($0.record, text: $0.text), member: member, paths: paths)
        }
    }

    func calendarToken(of member: Member, if properties: PropertyRequest, items known: [CalendarItem]? = nil) async throws -> String? {
        guard
            properties.asks(DAVProperty.syncToken) || properties.asks(DAVProperty.ctag)
                || { if case .all = properties { true } else { false } }()
        else { return nil }
        var items = known ?? []
        if known == nil { items = try await services.calendar.items(of: member, publicURL: publicURL, links: links) }
        return Self.syncURI(try await services.calendar.token(for: items, of: member))
    }

    static func syncURI(_ token: String) -> String { DAVPaths.syncPrefix + token }

    static let invalidSyncToken = DAVError(
        .forbidden,
        "This sync token is not one this collection gave, or it is too old: sync again from the start.",
        precondition: QName(DAVNamespace.dav, "valid-sync-token")
    )
    static let unsupportedReport = DAVError(
        .forbidden,
        "This REPORT is not supported here.",
        precondition: QName(DAVNamespace.dav, "supported-report")
    )

    /// Depth 0 or 1; infinity is refused (RFC 4918 §9.1 allows it), a missing header is 0.
    static func depth(_ request: Request) throws -> Int {
        switch request.headers[Self.depthHeader]?.trimmingCharacters(in: .whitespaces).lowercased() {
        case nil, "0": return 0
        case "1": return 1
        case "infinity":
            throw DAVError(
                .forbidden,
                "Depth: infinity is not supported; use 0 or 1.",
                precondition: QName(DAVNamespace.dav, "propfind-finite-depth")
            )
        default: throw DAVError(.badRequest, "Depth must be 0, 1 or infinity.")
        }
    }

    static func body(_ request: Request, limit: Int) async throws -> Data {
        Data(try await request.body.collect(upTo: limit).readableBytesView)
    }

    static func resourceName(_ context: AppRequestContext, _ parameter: String) throws -> String {
        guard let raw = context.parameters.get(parameter), let name = raw.removingPercentEncoding, !name.isEmpty, name.count <= 255,
            !name.contains("/"), name != ".", name != "..", !name.contains(where: { $0.isNewline || $0 == "\0" })
        else { throw DAVError(.notFound, "There is nothing at this address.") }
        return name
    }

    /// The vCard version an `address-data` element asks for.
    static func vCardVersion(_ node: XMLNode?) -> VCard.Version? {
        node?.attributes["version"].flatMap(VCard.Version.init(rawValue:))
    }
}

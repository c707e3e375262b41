import Hummingbird
import KithDomain

extension HTTPRequest.Method {
    static let propfind = HTTPRequest.Method("PROPFIND")!
    static let proppatch = HTTPRequest.Method("PROPPATCH")!
    static let report = HTTPRequest.Method("REPORT")!
}

/// CardDAV and CalDAV (see `DAVController`) and the app passwords that open them: each route
/// written once, here. DAV routes take HTTP Basic with an app password and nothing else; each
/// answers only for the member whose handle is in the address (anyone else's is 404).
enum DAVRoutes {
    typealias Member = OneParameter<Handle>
    typealias Resource = TwoParameters<Handle, String>

    enum Discovery {
        static let cardDAV = Endpoint<NoParameters>(.get, "/.well-known/carddav", .everyone, "CardDAV discovery (RFC 6764): to /dav/")
        static let cardDAVFind = Endpoint<NoParameters>(
            .propfind,
            "/.well-known/carddav",
            .everyone,
            "CardDAV discovery by PROPFIND: to /dav/"
        )
        static let calDAV = Endpoint<NoParameters>(.get, "/.well-known/caldav", .everyone, "CalDAV discovery (RFC 6764): to /dav/")
        static let calDAVFind = Endpoint<NoParameters>(
            .propfind,
            "/.well-known/caldav",
            .everyone,
            "CalDAV discovery by PROPFIND: to /dav/"
        )

        /// A client given only the server's address asks its root.
        static let root = Endpoint<NoParameters>(.propfind, "/", .everyone, "DAV clients given only the server address: to /dav/")

        static let all: [AnyEndpoint] = [cardDAV.erased, cardDAVFind.erased, calDAV.erased, calDAVFind.erased, root.erased]
    }

    static let root = Endpoint<NoParameters>(.propfind, "/dav", .caller, "The DAV root: names the caller's principal")
    static let principal = Endpoint<Member>(.propfind, "/dav/principals/:handle", .owner, "The member's principal and homes")
    static let addressBookHome = Endpoint<Member>(.propfind, "/dav/addressbooks/:handle", .owner, "The address book home")
    static let addressBook = Endpoint<Member>(.propfind, "/dav/addressbooks/:handle/contacts", .owner, "The address book")
    static let addressBookReport = Endpoint<Member>(
        .report,
        "/dav/addressbooks/:handle/contacts",
        .owner,
        "addressbook-multiget, addressbook-query, sync-collection"
    )
    static let addressBookProperties = Endpoint<Member>(
        .proppatch,
        "/dav/addressbooks/:handle/contacts",
        .owner,
        "Properties of the address book (none may be changed: 207 with 403 each)"
    )
    static let card = Endpoint<Resource>(.get, "/dav/addressbooks/:handle/contacts/:card", .owner, "One contact as a vCard")
    static let cardProperties = Endpoint<Resource>(.propfind, "/dav/addressbooks/:handle/contacts/:card", .owner, "A card's properties")
    static let putCard = Endpoint<Resource>(.put, "/dav/addressbooks/:handle/contacts/:card", .owner, "Create or replace a card")
    static let deleteCard = Endpoint<Resource>(.delete, "/dav/addressbooks/:handle/contacts/:card", .owner, "Delete a card and its contact")
    static let calendarHome = Endpoint<Member>(.propfind, "/dav/calendars/:handle", .owner, "The calendar home")
    static let calendar = Endpoint<Member>(.propfind, "/dav/calendars/:handle/events", .owner, "The member's calendar (read-only)")
    static let calendarReport = Endpoint<Member>(
        .report,
        "/dav/calendars/:handle/events",
        .owner,
        "calendar-multiget, calendar-query (time ranges), sync-collection"
    )
    static let calendarProperties = Endpoint<Member>(
        .proppatch,
        "/dav/calendars/:handle/events",
        .owner,
        "Properties of the calendar (none may be changed: 207 with 403 each)"
    )
    static let item = Endpoint<Resource>(.get, "/dav/calendars/:handle/events/:item", .owner, "One calendar item")
    static let itemProperties = Endpoint<Resource>(.propfind, "/dav/calendars/:handle/events/:item", .owner, "An item's properties")
    static let putItem = Endpoint<Resource>(.put, "/dav/calendars/:handle/events/:item", .refused, "Refused: the calendar is read-only")
    static let deleteItem = Endpoint<Resource>(
        .delete,
        "/dav/calendars/:handle/events/:item",
        .refused,
        "Refused: the calendar is read-only"
    )

    /// OPTIONS on every DAV address: what it supports, asked before signing in.
    static let options: [AnyEndpoint] = [
        "/dav", "/dav/principals/:handle", "/dav/addressbooks/:handle", "/dav/addressbooks/:handle/contacts",
        "/dav/addressbooks/:handle/contacts/:card", "/dav/calendars/:handle", "/dav/calendars/:handle/events",
        "/dav/calendars/:handle/events/:item",
    ].map {
        AnyEndpoint(
            method: .options,
            template: $0,
            access: .everyone,
            summary: "What DAV supports here",
            input: nil,
            operation: nil,
            lane: .foreground
        )
    }

    static let dav: [AnyEndpoint] =
        [
            root.erased, principal.erased, addressBookHome.erased, addressBook.erased, addressBookReport.erased,
            addressBookProperties.erased, card.erased, cardProperties.erased, putCard.erased, deleteCard.erased,
            calendarHome.erased, calendar.erased, calendarReport.erased, calendarProperties.erased, item.erased,
            itemProperties.erased, putItem.erased, deleteItem.erased,
        ] + options

    enum API {
        static let create = Endpoint<NoParameters>(
            .post,
            "/api/v1/me/app-passwords",
            .caller,
            "Make an app password for a contacts or calendar app (shown once)",
            input: AppPasswordsAPIController.CreateBody.self,
            operation: APIOperation(
                "createAppPassword",
                .json(201, "Made: the password is shown this once", NewAppPasswordDTO.self),
                errors: [400, 409, 413, 422]
            )
        )
        static let list = Endpoint<NoParameters>(
            .get,
            "/api/v1/me/app-passwords",
            .caller,
            "The caller's app passwords (labels and last use, never the passwords)",
            operation: APIOperation("listAppPasswords", .json("App passwords", ListDTO<AppPasswordDTO>.self))
        )
        static let revoke = Endpoint<OneParameter<AppPassword.ID>>(
            .delete,
            "/api/v1/me/app-passwords/:id",
            .owner,
            "Revoke an app password: it stops working at once",
            operation: APIOperation("revokeAppPassword", .empty("Revoked"), errors: [404])
        )

        static let all: [AnyEndpoint] = [create.erased, list.erased, revoke.erased]
    }

    enum Pages {
        static let list = Endpoint<NoParameters>(.get, "/me/app-passwords", .caller, "Contacts and calendar apps: app passwords")
        static let create = Endpoint<NoParameters>(.post, "/me/app-passwords", .caller, "Make an app password")
        static let revoke = Endpoint<OneParameter<AppPassword.ID>>(
            .post,
            "/me/app-passwords/:id/revoke",
            .owner,
            "Revoke an app password"
        )

        static let all: [AnyEndpoint] = [list.erased, create.erased, revoke.erased]
    }

    static let all = Discovery.all + dav + API.all + Pages.all
}

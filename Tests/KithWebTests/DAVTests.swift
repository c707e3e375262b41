import Foundation
import Hummingbird
import HummingbirdTesting
import KithDomain
import KithTestSupport
import Testing

@testable import KithWeb

/// CardDAV and CalDAV from the outside: app passwords, discovery, two-way cards with ETags and
/// sync, the calendar read-only, bad input answered with the RFC's precondition and nothing half
/// stored, and no member's collections reachable by anyone else.
@Suite struct DAVTests {
    /// A member with an app password: their API token and their DAV Authorization header.
    struct DAVUser {
        let handle: String
        let token: String
        let password: String
        var basic: HTTPFields { [.authorization: "Basic " + Data("\(handle):\(password)".utf8).base64EncodedString()] }
    }

    static func user(_ client: Client, _ handle: String) async throws -> DAVUser {
        let token = try await client.register(handle)
        let made = try await client.send(.post, "/api/v1/me/app-passwords", token: token, json: #"{"label":"Phone"}"#)
        #expect(made.status == 201, "\(made.text)")
        return DAVUser(handle: handle, token: token, password: made.json["password"] as? String ?? "")
    }

    static func card(uid: String, name: String, extra: [String] = [], version: String = "3.0") -> String {
        (["BEGIN:VCARD", "VERSION:\(version)", "UID:\(uid)", "FN:\(name)"] + extra + ["END:VCARD"]).joined(separator: "\r\n") + "\r\n"
    }

    static func put(
        _ client: Client,
        _ user: DAVUser,
        _ name: String,
        _ body: String,
        headers: HTTPFields = [:]
    ) async throws -> Client.Reply {
        var all = user.basic
        for field in headers { all.append(field) }
        if all[.contentType] == nil { all[.contentType] = "text/vcard; charset=utf-8" }
        return try await client.send(.put, "/dav/addressbooks/\(user.handle)/contacts/\(name)", headers: all, body: body)
    }

    static func report(_ client: Client, _ user: DAVUser, _ path: String, _ xml: String) async throws -> Client.Reply {
        try await client.send(.report, path, headers: user.basic + [.init("Depth")!: "1"], body: xml)
    }

    static func syncToken(in text: String) -> String {
        guard let start = text.range(of: "<d:sync-token>"),
            let end = text.range(of: "</d:sync-token>", range: start.upperBound..<text.endIndex)
        else { return "" }
        return String(text[start.upperBound..<end.lowerBound])
    }

    static func syncCollection(_ client: Client, _ user: DAVUser, token: String, data: Bool = false) async throws -> Client.Reply {
        let prop = data ? "<d:getetag/><card:address-data/>" : "<d:getetag/>"
        return try await report(
            client,
            user,
            "/dav/addressbooks/\(user.handle)/contacts/",
            #"<d:sync-collection xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:sync-token>\#(token)</d:sync-token><d:sync-level>1</d:sync-level><d:prop>\#(prop)</d:prop></d:sync-collection>"#
        )
    }

    @Test func appPasswordsOpenOnlyDAVAndStopAtOnceWhenRevoked() async throws {
        try await withApp { client, _ in
            let ada = try await Self.user(client, "ada")
            let root = #"<d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/></d:prop></d:propfind>"#
            let signedIn = try await client.send(.propfind, "/dav/", headers: ada.basic, body: root)
            #expect(signedIn.status == 207)
            #expect(signedIn.text.contains("<d:href>/dav/principals/ada/</d:href>"))
            // The email address works as the user name; the account password never does.
            let byEmail = HTTPFields([
                .init(
                    name: .authorization,
                    value: "Basic "
                        + Data("ADA@example.org:\(ada.password.uppercased().replacingOccurrences(of: "-", with: " "))".utf8)
                        .base64EncodedString()
                )
            ])
            #expect(try await client.send(.propfind, "/dav/", headers: byEmail, body: root).status == 207)
            for credentials in ["ada:password-ada", "bob:\(ada.password)", "ada:", "ada"] {
                let reply = try await client.send(
                    .propfind,
                    "/dav/",
                    headers: [.authorization: "Basic " + Data(credentials.utf8).base64EncodedString()],
                    body: root
                )
                #expect(reply.status == 401, "\(credentials)")
                #expect(reply.headers[.wwwAuthenticate]?.hasPrefix("Basic realm=") == true)
            }
            #expect(try await client.send(.propfind, "/dav/", token: ada.token, body: root).status == 401)

            // Listed with its last use, never with the password; revoked, it stops at once.
            let listed = try await client.send(.get, "/api/v1/me/app-passwords", token: ada.token)
            let items = listed.json["items"] as? [[String: Any]] ?? []
            #expect(items.count == 1 && items.first?["label"] as? String == "Phone" && items.first?["last_used_at"] is String)
            #expect(!listed.text.contains(ada.password))
            let id = items.first?["id"] as? String ?? ""
            #expect(try await client.send(.delete, "/api/v1/me/app-passwords/\(id)", token: ada.token).status == 204)
            #expect(try await client.send(.propfind, "/dav/", headers: ada.basic, body: root).status == 401)

            // Bad labels are named; the page shows a new password once.
            let unnamed = try await client.send(.post, "/api/v1/me/app-passwords", token: ada.token, json: #"{"label":"  "}"#)
            #expect(unnamed.status == 422 && unnamed.text.contains("label"))
            let session = try await client.signIn("ada")
            let csrf = try await client.csrf(session: session, page: "/me/app-passwords")
            let page = try await client.send(
                .post,
                "/me/app-passwords",
                cookies: ["kith_session": session],
                form: [("_csrf", csrf), ("label", "Thunderbird")]
            )
            #expect(page.status == 201 && page.text.contains("Thunderbird") && page.text.contains(#"class="secret""#))
        }
    }

    @Test func clientsFindTheCollectionsFromTheServerAddressAlone() async throws {
        try await withApp { client, _ in
            let ada = try await Self.user(client, "ada")
            for path in ["/.well-known/carddav", "/.well-known/caldav"] {
                let reply = try await client.send(.get, path)
                #expect(reply.status == 301 && reply.headers[.location] == "/dav/")
            }
            let principal = try await client.send(
                .propfind,
                "/dav/principals/ada/",
                headers: ada.basic + [.init("Depth")!: "0"],
                body:
                    #"<d:propfind xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav" xmlns:cal="urn:ietf:params:xml:ns:caldav"><d:prop><d:current-user-principal/><card:addressbook-home-set/><cal:calendar-home-set/><d:unknown-thing/></d:prop></d:propfind>"#
            )
            #expect(principal.status == 207)
            #expect(principal.text.contains("<card:addressbook-home-set><d:href>/dav/addressbooks/ada/</d:href>"))
            #expect(principal.text.contains("<cal:calendar-home-set><d:href>/dav/calendars/ada/</d:href>"))
            #expect(principal.text.contains("<d:unknown-thing/></d:prop><d:status>HTTP/1.1 404 Not Found"))
            let home = try await client.send(.propfind, "/dav/addressbooks/ada/", headers: ada.basic + [.init("Depth")!: "1"])
            #expect(home.text.contains("<d:href>/dav/addressbooks/ada/contacts/</d:href>") && home.text.contains("<card:addressbook/>"))
            let calendars = try await client.send(.propfind, "/dav/calendars/ada/", headers: ada.basic + [.init("Depth")!: "1"])
            #expect(calendars.text.contains("<d:href>/dav/calendars/ada/events/</d:href>") && calendars.text.contains("<cal:calendar/>"))
            let infinite = try await client.send(
                .propfind,
                "/dav/addressbooks/ada/contacts/",
                headers: ada.basic + [.init("Depth")!: "infinity"]
            )
            #expect(infinite.status == 403 && infinite.text.contains("<d:propfind-finite-depth/>"))
            let options = try await client.send(.options, "/dav/addressbooks/ada/contacts/")
            #expect(options.status == 200 && options.headers[.init("DAV")!]?.contains("addressbook") == true)
        }
    }

    @Test func cardsGoBothWaysWithStrongETagsAndKeepEveryLineKithDoesNotModel() async throws {
        try await withApp { client, _ in
            let ada = try await Self.user(client, "ada")
            let initial = Self.syncToken(in: try await Self.syncCollection(client, ada, token: "").text)
            #expect(initial.hasPrefix("http://kith.invalid/sync/"))

            let body = Self.card(
                uid: "phone-uid-1",
                name: "Katherine Johnson",
                extra: [
                    "N:Johnson;Katherine;;;", "EMAIL;TYPE=work:kj@nasa.gov", "EMAIL:not an address", "BDAY:1918-08-26",
                    "item1.ADR;TYPE=home:;;1 Main St;Hampton;VA;23666;USA", "item1.X-ABLabel:_$!<HomePage>!$_",
                    "X-CUSTOM-THING:keep me", "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkS",
                    " EwUExsYGiAfHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIy",
                ]
            )
            let created = try await Self.put(client, ada, "phone-uid-1.vcf", body, headers: [.ifNoneMatch: "*"])
            #expect(created.status == 201)
            let etag = created.headers[.eTag] ?? ""
            #expect(etag.hasPrefix("\""))
            #expect(try await Self.put(client, ada, "phone-uid-1.vcf", body, headers: [.ifNoneMatch: "*"]).status == 412)

            // What Kith keeps became the contact (the unusable email stays only in the card).
            let listed = try await client.send(.get, "/api/v1/contacts?q=Katherine", token: ada.token)
            let contact = (listed.json["items"] as? [[String: Any]])?.first ?? [:]
            #expect(contact["emails"] as? [String] == ["kj@nasa.gov"])
            let id = contact["id"] as? String ?? ""

            // Fetched back byte for byte.
            let fetched = try await client.send(.get, "/dav/addressbooks/ada/contacts/phone-uid-1.vcf", headers: ada.basic)
            #expect(fetched.status == 200 && fetched.text == body && fetched.headers[.eTag] == etag)

            // Edited in Kith: only the changed field's lines change; the card's ETag and the
            // book's sync token move on.
            let patched = try await client.send(
                .patch,
                "/api/v1/contacts/\(id)",
                token: ada.token,
                json: #"{"title":"Mathematician","emails":["kj@nasa.gov","katherine@example.org"]}"#
            )
            #expect(patched.status == 200)
            let edited = try await client.send(.get, "/dav/addressbooks/ada/contacts/phone-uid-1.vcf", headers: ada.basic)
            #expect(edited.headers[.eTag] != etag)
            for kept in [
                "BDAY:1918-08-26", "item1.X-ABLabel:_$!<HomePage>!$_", "X-CUSTOM-THING:keep me", "N:Johnson;Katherine;;;",
                " EwUExsYGiAfHh0a",
            ] {
                #expect(edited.text.contains(kept + "\r\n") || edited.text.contains(kept), "lost \(kept)")
            }
            #expect(edited.text.contains("TITLE:Mathematician\r\n") && edited.text.contains("katherine@example.org"))
            #expect(!edited.text.contains("not an address"), "the emails were rewritten from Kith's list")
            let changes = try await Self.syncCollection(client, ada, token: initial)
            #expect(changes.text.contains("/dav/addressbooks/ada/contacts/phone-uid-1.vcf"))
            let afterEdit = Self.syncToken(in: changes.text)
            #expect(afterEdit != initial)
            let quiet = try await Self.syncCollection(client, ada, token: afterEdit)
            #expect(!quiet.text.contains("<d:response>") && Self.syncToken(in: quiet.text) == afterEdit)

            // A stale If-Match is a conflict (412) and changes nothing; the current one replaces.
            let stale = try await Self.put(
                client,
                ada,
                "phone-uid-1.vcf",
                Self.card(uid: "phone-uid-1", name: "Overwritten"),
                headers: [.ifMatch: etag]
            )
            #expect(stale.status == 412)
            let current = edited.headers[.eTag] ?? ""
            let replaced = try await Self.put(
                client,
                ada,
                "phone-uid-1.vcf",
                Self.card(uid: "phone-uid-1", name: "Katherine G. Johnson"),
                headers: [.ifMatch: current]
            )
            #expect(replaced.status == 204)
            let renamed = try await client.send(.get, "/api/v1/contacts/\(id)", token: ada.token)
            #expect((renamed.json["contact"] as? [String: Any])?["name"] as? String == "Katherine G. Johnson")

            // A contact made in Kith is in the book; deleted on the phone, it is gone from Kith,
            // and the next sync names it gone.
            let made = try await client.send(.post, "/api/v1/contacts", token: ada.token, json: #"{"name":"Grace Hopper","tags":["navy"]}"#)
            let madeID = made.json["id"] as? String ?? ""
            let book = try await client.send(.propfind, "/dav/addressbooks/ada/contacts/", headers: ada.basic + [.init("Depth")!: "1"])
            #expect(book.text.contains("/dav/addressbooks/ada/contacts/\(madeID).vcf"))
            let card = try await client.send(.get, "/dav/addressbooks/ada/contacts/\(madeID).vcf", headers: ada.basic)
            #expect(
                card.text.contains("UID:urn:uuid:\(madeID)") && card.text.contains("CATEGORIES:navy") && card.text.contains("VERSION:4.0")
            )
            let asThree = try await client.send(
                .get,
                "/dav/addressbooks/ada/contacts/\(madeID).vcf",
                headers: ada.basic + [.accept: "text/vcard; version=3.0"]
            )
            #expect(asThree.text.contains("VERSION:3.0"))
            let beforeDelete = Self.syncToken(in: try await Self.syncCollection(client, ada, token: afterEdit).text)
            #expect(try await client.send(.delete, "/dav/addressbooks/ada/contacts/\(madeID).vcf", headers: ada.basic).status == 204)
            #expect(try await client.send(.get, "/api/v1/contacts/\(madeID)", token: ada.token).status == 404)
            let gone = try await Self.syncCollection(client, ada, token: beforeDelete)
            #expect(
                gone.text.contains(
                    "<d:href>/dav/addressbooks/ada/contacts/\(madeID).vcf</d:href><d:status>HTTP/1.1 404 Not Found</d:status>"
                )
            )
            // Deleted in Kith: gone from the book too.
            #expect(try await client.send(.delete, "/api/v1/contacts/\(id)", token: ada.token).status == 204)
            #expect(try await client.send(.get, "/dav/addressbooks/ada/contacts/phone-uid-1.vcf", headers: ada.basic).status == 404)

            // multiget answers found and missing cards alike.
            _ = try await Self.put(client, ada, "two.vcf", Self.card(uid: "two", name: "Dorothy Vaughan"))
            let multiget = try await Self.report(
                client,
                ada,
                "/dav/addressbooks/ada/contacts/",
                #"<card:addressbook-multiget xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/><card:address-data/></d:prop><d:href>/dav/addressbooks/ada/contacts/two.vcf</d:href><d:href>/dav/addressbooks/ada/contacts/missing.vcf</d:href></card:addressbook-multiget>"#
            )
            #expect(multiget.status == 207 && multiget.text.contains("FN:Dorothy Vaughan"))
            #expect(multiget.text.contains("<d:href>/dav/addressbooks/ada/contacts/missing.vcf</d:href><d:status>HTTP/1.1 404 Not Found"))
            let query = try await Self.report(
                client,
                ada,
                "/dav/addressbooks/ada/contacts/",
                #"<card:addressbook-query xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/></d:prop><card:filter><card:prop-filter name="FN"><card:text-match match-type="contains">dorothy</card:text-match></card:prop-filter></card:filter></card:addressbook-query>"#
            )
            #expect(query.text.contains("two.vcf"))
            let none = try await Self.report(
                client,
                ada,
                "/dav/addressbooks/ada/contacts/",
                #"<card:addressbook-query xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/></d:prop><card:filter><card:prop-filter name="FN"><card:text-match>nobody</card:text-match></card:prop-filter></card:filter></card:addressbook-query>"#
            )
            #expect(!none.text.contains("<d:response>"))
        }
    }

    @Test func badInputGetsTheRightErrorAndStoresNothing() async throws {
        try await withApp { client, _ in
            let ada = try await Self.user(client, "ada")
            _ = try await Self.put(client, ada, "taken.vcf", Self.card(uid: "taken-uid", name: "Taken"))
            let cardData = "<card:valid-address-data/>"
            let cases: [(String, String, Int, String)] = [
                ("no-uid.vcf", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:No Uid\r\nEND:VCARD\r\n", 400, cardData),
                ("no-fn.vcf", "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:x\r\nEND:VCARD\r\n", 400, cardData),
                ("two.vcf", Self.card(uid: "a", name: "A") + Self.card(uid: "b", name: "B"), 400, cardData),
                ("garbage.vcf", "hello world", 400, cardData),
                ("open.vcf", "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:y\r\nFN:Y\r\n", 400, cardData),
                ("old.vcf", Self.card(uid: "old", name: "Old", version: "2.1"), 415, "<card:supported-address-data/>"),
                ("clash.vcf", Self.card(uid: "taken-uid", name: "Clash"), 409, "<card:no-uid-conflict/>"),
                (
                    "huge.vcf", Self.card(uid: "huge", name: "Huge", extra: ["NOTE:" + String(repeating: "x", count: 600_000)]), 413,
                    "<card:max-resource-size/>"
                ),
            ]
            for (name, body, status, precondition) in cases {
                let reply = try await Self.put(client, ada, name, body)
                #expect(reply.status == status, "\(name): \(reply.status) \(reply.text.prefix(200))")
                #expect(reply.text.contains(precondition), "\(name): \(reply.text.prefix(300))")
            }
            let json = try await Self.put(
                client,
                ada,
                "json.vcf",
                Self.card(uid: "j", name: "J"),
                headers: [.contentType: "application/json"]
            )
            #expect(json.status == 415)
            let count = (try await client.send(.get, "/api/v1/contacts", token: ada.token).json["items"] as? [[String: Any]])?.count
            #expect(count == 1, "only the one good card is stored")

            let path = "/dav/addressbooks/ada/contacts/"
            for (body, status, precondition) in [
                ("<not xml", 400, ""),
                (#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><d:propfind xmlns:d="DAV:"/>"#, 400, ""),
                (#"<d:expand-property xmlns:d="DAV:"/>"#, 403, "<d:supported-report/>"),
                (
                    #"<d:sync-collection xmlns:d="DAV:"><d:sync-token>http://kith.invalid/sync/999-0</d:sync-token><d:prop><d:getetag/></d:prop></d:sync-collection>"#,
                    403, "<d:valid-sync-token/>"
                ),
                (
                    #"<d:sync-collection xmlns:d="DAV:"><d:sync-token>made-up</d:sync-token><d:prop><d:getetag/></d:prop></d:sync-collection>"#,
                    403, "<d:valid-sync-token/>"
                ),
            ] {
                let reply = try await Self.report(client, ada, path, body)
                #expect(
                    reply.status == status && (precondition.isEmpty || reply.text.contains(precondition)),
                    "\(body.prefix(60)): \(reply.status) \(reply.text.prefix(200))"
                )
            }
            let nested = String(repeating: "<a>", count: 200) + String(repeating: "</a>", count: 200)
            #expect(try await Self.report(client, ada, path, nested).status == 400)
            let proppatch = try await client.send(
                .proppatch,
                path,
                headers: ada.basic,
                body:
                    #"<d:propertyupdate xmlns:d="DAV:"><d:set><d:prop><d:displayname>Mine</d:displayname></d:prop></d:set></d:propertyupdate>"#
            )
            #expect(proppatch.status == 207 && proppatch.text.contains("403 Forbidden"))
        }
    }

    /// One member's app password reaches only their own collections: every DAV address of
    /// another member is 404, and a REPORT naming another member's cards finds nothing.
    @Test func nobodyReachesAnotherMembersCollections() async throws {
        try await withApp { client, _ in
            let ada = try await Self.user(client, "ada")
            let bob = try await Self.user(client, "bob")
            _ = try await Self.put(
                client,
                ada,
                "secret.vcf",
                Self.card(uid: "secret", name: "Ada's Secret Friend", extra: ["NOTE:secret-note-5521"])
            )
            for (method, path) in [
                (HTTPRequest.Method.propfind, "/dav/principals/ada/"), (.propfind, "/dav/addressbooks/ada/"),
                (.propfind, "/dav/addressbooks/ada/contacts/"), (.get, "/dav/addressbooks/ada/contacts/secret.vcf"),
                (.propfind, "/dav/addressbooks/ada/contacts/secret.vcf"), (.delete, "/dav/addressbooks/ada/contacts/secret.vcf"),
                (.put, "/dav/addressbooks/ada/contacts/secret.vcf"), (.propfind, "/dav/calendars/ada/"),
                (.propfind, "/dav/calendars/ada/events/"), (.get, "/dav/calendars/ada/events/weekly-plan.ics"),
                (.report, "/dav/addressbooks/ada/contacts/"), (.report, "/dav/calendars/ada/events/"),
            ] {
                let reply = try await client.send(method, path, headers: bob.basic, body: Self.card(uid: "x", name: "X"))
                #expect(reply.status == 404, "\(method) \(path) as bob → \(reply.status)")
                #expect(!reply.text.contains("secret-note-5521") && !reply.text.contains("Secret Friend"))
            }
            let multiget = try await Self.report(
                client,
                bob,
                "/dav/addressbooks/bob/contacts/",
                #"<card:addressbook-multiget xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><card:address-data/></d:prop><d:href>/dav/addressbooks/ada/contacts/secret.vcf</d:href><d:href>/dav/addressbooks/bob/contacts/../../ada/contacts/secret.vcf</d:href></card:addressbook-multiget>"#
            )
            #expect(multiget.status == 207 && !multiget.text.contains("secret-note-5521"))
            #expect(
                try await client.send(.get, "/dav/addressbooks/ada/contacts/secret.vcf", headers: ada.basic).text.contains(
                    "secret-note-5521"
                )
            )
        }
    }

    /// A contact linked to a member carries what that member's profile shows the owner — the
    /// headline, and contact details only when the member lets the owner see them.
    @Test func linkedContactsCarryOnlyTheProfileFieldsTheOwnerMaySee() async throws {
        try await withApp { client, _ in
            let ada = try await Self.user(client, "ada")
            let carol = try await client.register("carol")
            _ = try await client.send(
                .patch,
                "/api/v1/me/profile",
                token: carol,
                json:
                    #"{"headline":"Rocket scientist","phone":"+1 555 0100","website":"https://carol.example","visibility":{"contact":"connections"}}"#
            )
            let made = try await client.send(.post, "/api/v1/contacts", token: ada.token, json: #"{"name":"Carol","member":"carol"}"#)
            let id = made.json["id"] as? String ?? ""
            let before = try await client.send(.get, "/dav/addressbooks/ada/contacts/\(id).vcf", headers: ada.basic)
            #expect(before.text.contains("kith.TITLE:Rocket scientist") && before.text.contains("kith.URL:http"))
            #expect(!before.text.contains("555 0100") && !before.text.contains("carol.example"), "contact details are for connections")
            let token = Self.syncToken(in: try await Self.syncCollection(client, ada, token: "").text)

            // Once connected, the details show, and the card's ETag and the sync say it changed
            // (the connection alone moved them).
            try await ConnectionsAPITests.connect(client, from: "ada", ada.token, to: "carol", carol)
            let after = try await client.send(.get, "/dav/addressbooks/ada/contacts/\(id).vcf", headers: ada.basic)
            #expect(after.text.contains("kith.TEL:+1 555 0100") && after.text.contains("kith.URL:https://carol.example"))
            #expect(after.headers[.eTag] != before.headers[.eTag])
            let connected = try await Self.syncCollection(client, ada, token: token)
            #expect(connected.text.contains("\(id).vcf"))
            // A profile edit moves it again.
            _ = try await client.send(.patch, "/api/v1/me/profile", token: carol, json: #"{"headline":"Rocket scientist, NASA"}"#)
            #expect(try await Self.syncCollection(client, ada, token: Self.syncToken(in: connected.text)).text.contains("\(id).vcf"))
            let edited = try await client.send(.get, "/dav/addressbooks/ada/contacts/\(id).vcf", headers: ada.basic)
            #expect(edited.text.contains("kith.TITLE:Rocket scientist\\, NASA"))

            // The phone sends the card back as it got it: the profile's lines are not stored as
            // Ada's own notes about Carol.
            let echoed = try await Self.put(client, ada, "\(id).vcf", edited.text, headers: [.ifMatch: edited.headers[.eTag] ?? ""])
            #expect(echoed.status == 204)
            let contact = try await client.send(.get, "/api/v1/contacts/\(id)", token: ada.token).json["contact"] as? [String: Any] ?? [:]
            #expect(contact["phones"] as? [String] == [] && contact["title"] as? String == "")
        }
    }

    /// The calendar holds the member's events, weekly slot and follow-ups; it answers time-range
    /// queries and syncs; writes are refused with a reason.
    @Test func theCalendarIsReadOnlyAndAnswersTimeRangesAndSync() async throws {
        try await withApp { client, _ in
            let ada = try await Self.user(client, "ada")
            let event = try await client.send(.post, "/api/v1/events", token: ada.token, json: EventsAPITests.event(capacity: 5)).json
            let eventID = event["id"] as? String ?? ""
            let contact = try await client.send(.post, "/api/v1/contacts", token: ada.token, json: #"{"name":"Mary Jackson"}"#).json
            let due = Moment.format(Date().addingTimeInterval(10 * 86_400))
            _ = try await client.send(
                .post,
                "/api/v1/contacts/\(contact["id"] as? String ?? "")/follow-ups",
                token: ada.token,
                json: #"{"due_at":"\#(due)","text":"Send the paper"}"#
            )
            let path = "/dav/calendars/ada/events/"
            let listing = try await client.send(.propfind, path, headers: ada.basic + [.init("Depth")!: "1"])
            #expect(listing.text.contains("\(path)event-\(eventID).ics") && listing.text.contains("\(path)weekly-plan.ics"))
            #expect(listing.text.contains("\(path)follow-up-"))

            func query(_ component: String, from start: Date, days: Double) async throws -> String {
                let format = { (date: Date) in
                    let formatter = DateFormatter()
                    formatter.locale = Locale(identifier: "en_US_POSIX")
                    formatter.timeZone = TimeZone(identifier: "UTC")
                    formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
                    return formatter.string(from: date)
                }
                return try await Self.report(
                    client,
                    ada,
                    path,
                    #"<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="\#(component)"><c:time-range start="\#(format(start))" end="\#(format(start.addingTimeInterval(days * 86_400)))"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>"#
                ).text
            }
            let week = try await query("VEVENT", from: Date(), days: 7)
            #expect(week.contains("event-\(eventID).ics") && week.contains("SUMMARY:Spring meetup"))
            #expect(!week.contains("METHOD:"), "a CalDAV resource carries no METHOD")
            let later = try await query("VEVENT", from: Date().addingTimeInterval(30 * 86_400), days: 7)
            #expect(!later.contains("event-\(eventID).ics") && later.contains("weekly-plan.ics"))
            let todos = try await query("VTODO", from: Date(), days: 30)
            #expect(todos.contains("Follow up with Mary Jackson: Send the paper") && !todos.contains("Spring meetup"))
            let badRange = try await Self.report(
                client,
                ada,
                path,
                #"<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="yesterday"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>"#
            )
            #expect(badRange.status == 403 && badRange.text.contains("<cal:valid-filter/>"))

            let sync =
                #"<d:sync-collection xmlns:d="DAV:"><d:sync-token>TOKEN</d:sync-token><d:prop><d:getetag/></d:prop></d:sync-collection>"#
            let first = try await Self.report(client, ada, path, sync.replacingOccurrences(of: "TOKEN", with: ""))
            let token = Self.syncToken(in: first.text)
            #expect(first.text.contains("event-\(eventID).ics") && !token.isEmpty)
            _ = try await client.send(.post, "/api/v1/events/\(eventID)/cancel", token: ada.token)
            let changed = try await Self.report(client, ada, path, sync.replacingOccurrences(of: "TOKEN", with: token))
            #expect(changed.text.contains("event-\(eventID).ics") && Self.syncToken(in: changed.text) != token)
            let cancelled = try await client.send(.get, "\(path)event-\(eventID).ics", headers: ada.basic)
            #expect(cancelled.text.contains("STATUS:CANCELLED"))

            for method in [HTTPRequest.Method.put, .delete] {
                let refused = try await client.send(method, "\(path)event-\(eventID).ics", headers: ada.basic, body: "BEGIN:VCALENDAR")
                #expect(refused.status == 403 && refused.text.contains("read-only"))
            }
            #expect(try await client.send(.get, "\(path)event-\(eventID).ics", headers: ada.basic).status == 200)
        }
    }

    /// Real cards from phones and mail programs (../shared/data/real-contacts, read in place):
    /// each vCard 3.0 and 4.0 card is stored and comes back line for line — photos, birthdays,
    /// labels, several addresses and all. Cards a CardDAV client could not send (no FN) are
    /// refused, never half stored.
    @Test func realCardsRoundTripLineForLine() async throws {
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/real-contacts")
        let files = try FileManager.default.contentsOfDirectory(atPath: corpus.path)
            .filter { ($0.hasPrefix("30-") || $0.hasPrefix("40-")) && $0.hasSuffix(".vcf") }.sorted()
        #expect(files.count >= 25)
        try await withApp { client, _ in
            let ada = try await Self.user(client, "ada")
            var stored = 0
            var refused = 0
            var uids: Set<String> = []
            for file in files {
                let text = TextFile.decode(try Data(contentsOf: corpus.appendingPathComponent(file)))
                for (index, card) in Self.cards(in: text).enumerated() {
                    var lines = card
                    // A CardDAV client always sends a UID; the corpus's exports often have none.
                    // A CardDAV client always sends a UID, unique in the collection; the corpus's
                    // exports often have none, or share an example's.
                    let uid = lines.firstIndex { $0.uppercased().hasPrefix("UID:") || $0.uppercased().hasPrefix("UID;") }
                    if let uid, !uids.insert(lines[uid]).inserted { lines[uid] += "-\(file)-\(index)" }
                    if uid == nil { lines.insert("UID:corpus-\(file)-\(index)", at: 2) }
                    let body = lines.joined(separator: "\r\n") + "\r\n"
                    let name = "corpus-\(stored + refused).vcf"
                    let reply = try await Self.put(client, ada, name, body)
                    let hasName = lines.contains { line in
                        let head = line.uppercased()
                        return (head.hasPrefix("FN:") || head.hasPrefix("FN;"))
                            && !line.split(separator: ":", maxSplits: 1).last!.trimmingCharacters(in: .whitespaces).isEmpty
                    }
                    if !hasName {
                        #expect(reply.status == 400, "\(file)#\(index) has no FN: \(reply.status)")
                        refused += 1
                        continue
                    }
                    #expect(reply.status == 201, "\(file)#\(index): \(reply.status) \(reply.text.prefix(200))")
                    let back = try await client.send(.get, "/dav/addressbooks/ada/contacts/\(name)", headers: ada.basic)
                    #expect(back.text == body, "\(file)#\(index) did not come back line for line")
                    stored += 1
                }
            }
            #expect(stored >= 25, "stored \(stored), refused \(refused)")
        }
    }

    /// The cards of a file as lists of physical lines (blank lines dropped).
    static func cards(in text: String) -> [[String]] {
        var cards: [[String]] = []
        var current: [String]?
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            let upper = line.uppercased()
            if upper.hasPrefix("BEGIN:VCARD") { current = [] }
            current?.append(String(line))
            if upper.hasPrefix("END:VCARD"), let done = current {
                cards.append(done)
                current = nil
            }
        }
        return cards
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import KithDemo
import KithDomain
import KithTestSupport
import Testing

@testable import KithWeb

/// DAV fuzzing: valid requests (cards, PROPFIND, every REPORT, PROPPATCH) mutated the ways broken
/// clients and attackers break them — bytes flipped, markup and control characters inserted,
/// lines dropped, doubled or blown up, bodies cut short — sent to every DAV route. None may
/// answer 5xx, and whatever was stored must still be a card that reads back.
@Suite struct DAVFuzzTests {
    static let card = DAVTests.card(
        uid: "fuzz-uid",
        name: "Fuzz Target",
        extra: [
            "N:Target;Fuzz;;;", "EMAIL;TYPE=work:fuzz@example.org", "TEL;TYPE=cell:+44 20 7946 0000", "item1.X-ABLabel:Friend",
            "NOTE:a\\, b\\; c\\n d",
        ]
    )
    static let bodies: [String] = [
        #"<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/><card:address-data/><d:sync-token/></d:prop></d:propfind>"#,
        #"<d:sync-collection xmlns:d="DAV:"><d:sync-token></d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>"#,
        #"<card:addressbook-multiget xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><card:address-data version="3.0"/></d:prop><d:href>/dav/addressbooks/ada/contacts/fuzz.vcf</d:href></card:addressbook-multiget>"#,
        #"<card:addressbook-query xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/></d:prop><card:filter test="allof"><card:prop-filter name="EMAIL"><card:text-match match-type="starts-with">fuzz</card:text-match></card:prop-filter></card:filter><card:limit><card:nresults>3</card:nresults></card:limit></card:addressbook-query>"#,
        #"<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="20260101T000000Z" end="20280101T000000Z"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>"#,
        #"<c:free-busy-query xmlns:c="urn:ietf:params:xml:ns:caldav"><c:time-range start="20260101T000000Z" end="20280101T000000Z"/></c:free-busy-query>"#,
        #"<d:propertyupdate xmlns:d="DAV:"><d:set><d:prop><d:displayname>x</d:displayname></d:prop></d:set></d:propertyupdate>"#,
    ]
    static let inserts: [String] = [
        "<", ">", "&", "&amp;", "\r", "\n", "\r\n ", ":", ";", "\"", "\0", "\u{FEFF}", "é", "\u{202E}", "<!DOCTYPE x>", "]]>",
        "BEGIN:VCARD\r\n", "END:VCARD\r\n", "VERSION:2.1\r\n", "UID:\r\n", "=\r\n", "\\",
        "<d:href>/dav/addressbooks/bob/contacts/x.vcf</d:href>",
    ]

    static func mutate(_ text: String, _ random: inout SplitMix64) -> String {
        var bytes = Array(text.utf8)
        for _ in 0..<Int.random(in: 1...4, using: &random) where !bytes.isEmpty {
            let at = Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<7, using: &random) {
            case 0: bytes[at] = UInt8.random(in: 0...255, using: &random)
            case 1: bytes.insert(contentsOf: Array(inserts.randomElement(using: &random)!.utf8), at: at)
            case 2: bytes = Array(bytes[..<at])
            case 3: bytes.remove(at: at)
            case 4:
                let end = min(bytes.count, at + Int.random(in: 1...40, using: &random))
                bytes.insert(contentsOf: Array(repeating: bytes[at..<end], count: Int.random(in: 2...200, using: &random)).joined(), at: at)
            case 5:
                var lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
                if lines.count > 2 {
                    let line = Int.random(in: 0..<lines.count, using: &random)
                    if Bool.random(using: &random) { lines.remove(at: line) } else { lines.insert(lines[line], at: line) }
                }
                bytes = Array(lines.joined(separator: "\r\n").utf8)
            default: bytes.swapAt(at, Int.random(in: 0..<bytes.count, using: &random))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func mutatedDAVRequestsNeverFailTheServerNorStoreGarbage() async throws {
        try await withApp { client, _ in
            let ada = try await DAVTests.user(client, "ada")
            _ = try await DAVTests.put(client, ada, "fuzz.vcf", Self.card)
            var random = SplitMix64(seed: 2026_12_03)
            let book = "/dav/addressbooks/ada/contacts/"
            let calendar = "/dav/calendars/ada/events/"
            var sent = 0
            for round in 0..<1_200 {
                let reply: Client.Reply
                switch round % 6 {
                case 0, 1:
                    let names = [
                        "fuzz.vcf", "new-\(round % 7).vcf", "odd%20name.vcf", "%2e%2e.vcf", "x" + String(repeating: "y", count: 300),
                    ]
                    let name = names.randomElement(using: &random)!
                    reply = try await DAVTests.put(
                        client,
                        ada,
                        name,
                        Self.mutate(Self.card, &random),
                        headers: Bool.random(using: &random) ? [.ifNoneMatch: "*"] : [:]
                    )
                case 2:
                    reply = try await DAVTests.report(
                        client,
                        ada,
                        book,
                        Self.mutate(Self.bodies[Int.random(in: 1...3, using: &random)], &random)
                    )
                case 3:
                    reply = try await DAVTests.report(
                        client,
                        ada,
                        calendar,
                        Self.mutate(Self.bodies[Int.random(in: 4...5, using: &random)], &random)
                    )
                case 4:
                    let path = [book, calendar, "/dav/principals/ada/", "\(book)fuzz.vcf", "/dav/"].randomElement(using: &random)!
                    reply = try await client.send(
                        .propfind,
                        path,
                        headers: ada.basic + [.init("Depth")!: ["0", "1", "2", "", "infinity"].randomElement(using: &random)!],
                        body: Self.mutate(Self.bodies[0], &random)
                    )
                default:
                    reply = try await client.send(
                        .proppatch,
                        [book, calendar].randomElement(using: &random)!,
                        headers: ada.basic,
                        body: Self.mutate(Self.bodies[6], &random)
                    )
                }
                #expect(reply.status < 500, "round \(round): \(reply.status) \(reply.text.prefix(200))")
                sent += 1
            }
            #expect(sent == 1_200)
            // Every card stored reads back as a card, and the book and the contacts agree.
            let listing = try await client.send(.propfind, book, headers: ada.basic + [.init("Depth")!: "1"])
            let hrefs = listing.text.components(separatedBy: "<d:href>").dropFirst().map { String($0.prefix { $0 != "<" }) }.filter {
                $0.hasPrefix(book) && $0 != book
            }
            #expect(!hrefs.isEmpty)
            for href in hrefs {
                let card = try await client.send(.get, href, headers: ada.basic)
                #expect(card.status == 200, "\(href)")
                #expect(throws: Never.self) { _ = try CardDocument(Data(card.text.utf8)) }
            }
            let contacts =
                try await client.send(.get, "/api/v1/contacts?limit=100", token: ada.token).json["items"] as? [[String: Any]] ?? []
            #expect(contacts.count == hrefs.count)
            // Markup in a stored card reaches a client escaped inside the XML.
            _ = try await DAVTests.put(client, ada, "markup.vcf", DAVTests.card(uid: "markup", name: StoredXSSTests.script))
            let multiget = try await DAVTests.report(
                client,
                ada,
                book,
                #"<card:addressbook-multiget xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><card:address-data/></d:prop><d:href>\#(book)markup.vcf</d:href></card:addressbook-multiget>"#
            )
            #expect(
                multiget.text.contains("FN:&lt;script&gt;alert(&quot;kith&quot;)&lt;/script&gt;") && !multiget.text.contains("<script>")
            )
        }
    }
}

import Foundation
import KithApp
import KithDomain
import KithStorage
import KithTestSupport
import KithWeb
import Testing

/// Real exports from phones and mail programs (../shared/data/real-contacts, read in place, never
/// copied in): every card is imported — none silently lost — and no text comes back garbled.
@Suite struct RealContactFilesTests {
    static let corpus: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/data/real-contacts")

    /// `file → cards` from the MANIFEST's tables.
    static func manifest() throws -> [String: Int] {
        let text = try String(contentsOf: corpus.appendingPathComponent("MANIFEST.md"), encoding: .utf8)
        var cards: [String: Int] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.count > 2, cells[0].hasSuffix(".vcf") || cells[0].hasSuffix(".csv"), let count = Int(cells[1]) {
                cards[cells[0]] = count
            }
        }
        return cards
    }

    static func importFile(_ name: String, _ services: Services, _ store: any Store) async throws -> (ImportReport, [Contact]) {
        let owner = try await services.register("owner-\(abs(name.hashValue) % 1_000_000)").member
        let data = try Data(contentsOf: corpus.appendingPathComponent(name))
        let report = try await services.contacts.importContacts(data, format: nil, owner: owner)
        return (report, try await SQLContactRepository(store: store).allContacts(of: owner.id))
    }

    @Test func everyCardOfEveryFileIsImportedWithoutGarbledText() async throws {
        let cards = try Self.manifest()
        #expect(cards.count >= 39, "the corpus's MANIFEST lists \(cards.count) files")
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            for (file, expected) in cards.sorted(by: { $0.key < $1.key }) {
                let (report, contacts) = try await Self.importFile(file, services, store)
                let kept = report.created + report.merged + report.skipped
                #expect(kept == expected, "\(file): \(kept) of \(expected) cards kept; errors \(report.errors)")
                for contact in contacts {
                    let text = ([contact.name, contact.organization, contact.title, contact.notes] + contact.emails + contact.phones)
                        .joined(separator: "\n")
                    #expect(!text.contains("\u{FFFD}"), "\(file): \(contact.name) holds a replacement character")
                    #expect(text.firstMatch(of: /=[0-9A-F]{2}=[0-9A-F]{2}/) == nil, "\(file): \(contact.name) holds raw quoted-printable")
                    #expect(!contact.name.trimmingCharacters(in: .whitespaces).isEmpty, "\(file): a contact without a name")
                }
            }
        }
    }

    /// Values from the files (worked out from the bytes, as the MANIFEST says), spot-checked.
    @Test func spotChecks() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            func contacts(_ file: String) async throws -> [Contact] { try await Self.importFile(file, services, store).1 }
            #expect(try await contacts("30-apple-utf16be.vcf").map(\.name) == ["Ǽgean ĽdaMonté"])
            #expect(try await contacts("21-japanese-phone-shift-jis-qp.vcf").first?.name == "安藤 ロイド 1")
            // 8-bit quoted-printable with no CHARSET: read as Windows-1252, the usual default for
            // such 2.1 files (0xF1 is ñ there; the writer may have meant ń in ISO-8859-2, which
            // nothing in the file tells) — one whole letter, never a replacement mark or "=F1".
            #expect(try await contacts("21-the-bat-qp-latin.vcf").first?.name == "Piotr Iksiñski")
            #expect(try await contacts("21-windows-1252.vcf").first?.name.contains("Doë") == true)
            let android = try await contacts("21-android-qp-utf8.vcf")
            #expect(android.contains { $0.name.hasPrefix("Ñ Ñ Ñ") })
            let greek = try #require(try await contacts("30-owncloud-contacts-0.3-greek-cyrillic.vcf").first)
            #expect(greek.notes.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) }, "the Russian note: \(greek.notes)")
            let davx = try #require(try await contacts("30-davx5-allfields.vcf").first)
            #expect(davx.phones.contains("+1-800-MYFAX"))
            let rfc = try #require(try await contacts("40-rfc6350-example.vcf").first)
            #expect(rfc.phones.contains("+1-418-656-9254 x102"), "\(rfc.phones)")
            let gmail = try #require(try await contacts("30-gmail-single2.vcf").first)
            #expect(gmail.phones.count == 11 && gmail.emails.count == 5)
            let company = try #require(try await contacts("30-apple-company-card.vcf").first)
            #expect(!company.name.isEmpty && company.name == company.organization)
        }
    }
}

import Foundation
import KithApp
import KithDomain
import KithStorage
import KithTestSupport
import KithWeb
import Testing

@Suite struct ContactFileTests {
    @Test func vCard3WithFoldingEscapesAndSeveralNumbers() {
        let text = [
            "BEGIN:VCARD", "VERSION:3.0", "N:Lovelace;Ada;;;", "FN:Ada Lovelace",
            "ORG:Analytical Engines\\, Ltd;Research", "TITLE:Countess", "EMAIL;TYPE=INTERNET,HOME:ada@example.org",
            "EMAIL;TYPE=WORK:ada@engines.example", "TEL;TYPE=CELL:+44 20 7946 0000", "TEL;TYPE=WORK:+44 20 7946 0001",
            "NOTE:Wrote the first program\\nand notes\\; many of them. This note is long enough that it is folded acro",
            " ss two lines.", "CATEGORIES:close,math", "END:VCARD",
        ].joined(separator: "\r\n")
        let (cards, errors) = VCard.parse(text)
        #expect(errors.isEmpty)
        let ada = try! #require(cards.first)
        #expect(ada.name == "Ada Lovelace")
        #expect(ada.organization == "Analytical Engines, Ltd")
        #expect(ada.emails == ["ada@example.org", "ada@engines.example"])
        #expect(ada.phones == ["+44 20 7946 0000", "+44 20 7946 0001"])
        #expect(
            ada.notes == "Wrote the first program\nand notes; many of them. This note is long enough that it is folded across two lines."
        )
        #expect(ada.tags == ["close", "math"])
        #expect(ada.line == 1)
    }

    @Test func vCard4WithUTF8NameFromNAndBrokenCardsReported() {
        let text = """
            BEGIN:VCARD
            VERSION:4.0
            N:Gödel;Kurt;;;
            TEL;VALUE=uri;TYPE="voice,cell":tel:+1-609-555-0100
            item1.EMAIL;PREF=1:kurt@ias.example
            END:VCARD
            BEGIN:VCARD
            VERSION:4.0
            ORG:Nobody
            END:VCARD
            garbage line
            BEGIN:VCARD
            FN:Émilie du Châtelet
            END:VCARD
            """
        let (cards, errors) = VCard.parse(text)
        // A card with no name is named by its organisation rather than lost.
        #expect(cards.map(\.name) == ["Kurt Gödel", "Nobody", "Émilie du Châtelet"])
        #expect(cards.first?.phones == ["+1-609-555-0100"])
        #expect(cards.first?.emails == ["kurt@ias.example"])
        #expect(errors.map(\.line) == [11])
    }

    @Test func writtenVCardsFoldAt75OctetsAndReadBack() {
        let contact = Contact(
            id: .make(at: Date()),
            ownerID: .make(at: Date()),
            name: "Zoë Ñandú-Økland",
            emails: ["zoe@example.org"],
            phones: ["+47 22 00 00 00"],
            organization: "Fjord; Fjell, & Co",
            title: "Chief Ærø Officer",
            howWeMet: "Oslo",
            tags: ["close", "nordic"],
            notes: String(repeating: "ünïcödé ", count: 30) + "\nend",
            createdAt: Date(),
            updatedAt: Date()
        )
        for version in [VCard.Version.v3, .v4] {
            let text = VCard.write([contact], version: version)
            for line in text.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75) }
            #expect(text.contains("VERSION:\(version.rawValue)"))
            let card = try! #require(VCard.parse(text).contacts.first)
            #expect(card.name == contact.name)
            #expect(card.organization == contact.organization)
            #expect(card.notes == contact.notes)
            #expect(card.tags == contact.tags)
            #expect(card.phones == contact.phones)
            #expect(card.howWeMet == "Oslo")
        }
    }

    @Test func linkedInConnectionsWithPreambleQuotesAndDates() {
        let csv = #"""
            Notes:
            "When exporting your connection data, you may notice that some of the email addresses are missing. You will only see email addresses for connections who have allowed their connections to see or download their email address."

            First Name,Last Name,URL,Email Address,Company,Position,Connected On
            Grace,Hopper,https://www.linkedin.com/in/grace,grace@navy.example,"US Navy, Reserve",Rear Admiral,15 Mar 2021
            Alan,Turing,https://www.linkedin.com/in/alan,,Bletchley Park,"Cryptanalyst ""Prof""",02 Jan 2019
            ,,https://www.linkedin.com/in/nobody,,,,01 Jan 2020
            Katherine,Johnson,https://www.linkedin.com/in/kj,,NASA,Mathematician,sometime
            """#
        let (contacts, errors) = LinkedInConnections.parse(csv)
        #expect(contacts.map(\.name) == ["Grace Hopper", "Alan Turing"])
        #expect(contacts[0].organization == "US Navy, Reserve")
        #expect(contacts[0].emails == ["grace@navy.example"])
        #expect(contacts[0].howWeMet == "Connected on LinkedIn in March 2021")
        #expect(contacts[1].title == "Cryptanalyst \"Prof\"")
        #expect(contacts[1].line == 6)
        #expect(errors.map(\.line) == [7, 8])
        #expect(LinkedInConnections.parse("just,some,csv\n1,2,3").errors.first?.message.contains("header") == true)
    }
}

@Suite struct ContactImportTests {
    @Test func importsMergeDuplicatesAndReportEveryLine() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            let ada = try await services.register("ada").member
            _ = try await services.contacts.create(ContactInput(name: "Grace Hopper", emails: ["grace@navy.example"]), owner: ada)
            let csv = """
                First Name,Last Name,URL,Email Address,Company,Position,Connected On
                Grace,Hopper,https://www.linkedin.com/in/grace,grace@navy.example,US Navy,Rear Admiral,15 Mar 2021
                Alan,Turing,https://www.linkedin.com/in/alan,,Bletchley Park,Cryptanalyst,02 Jan 2019
                Alan,Turing,https://www.linkedin.com/in/alan,,Bletchley Park,Cryptanalyst,02 Jan 2019
                Bad,Email,https://www.linkedin.com/in/bad,not-an-email,X,Y,02 Jan 2019
                """
            let report = try await services.contacts.importContacts(csv, format: .linkedinCSV, owner: ada)
            // The row with a bad email is kept without it, and the line says so.
            #expect(report.created == 2)
            #expect(report.merged == 1)
            #expect(report.skipped == 1)
            #expect(report.errors.map(\.line) == [5])
            #expect(report.errors.first?.message.contains("imported without it") == true, "\(report.errors)")
            let grace = try #require(
                try await services.contacts.list(text: "grace", tag: nil, status: nil, after: nil, limit: nil, owner: ada).items.first
            )
            #expect(grace.contact.organization == "US Navy")
            #expect(grace.contact.tags == ["linkedin"])

            // A second import of the same file changes nothing.
            let again = try await services.contacts.importContacts(csv, format: nil, owner: ada)
            #expect(again.created == 0)
            #expect(again.merged == 0)
            #expect(again.skipped == 4)

            // Export and re-import round-trips without duplicates.
            let cards = try await services.contacts.exportVCards(owner: ada, version: "3.0")
            let roundTrip = try await services.contacts.importContacts(cards, format: nil, owner: ada)
            #expect(roundTrip.created == 0)
            #expect(roundTrip.errors.isEmpty)
            #expect(try await services.contacts.list(text: nil, tag: nil, status: nil, after: nil, limit: nil, owner: ada).items.count == 3)
            await #expect(throws: DomainError.self) { try await services.contacts.exportVCards(owner: ada, version: "2.1") }
        }
    }

    @Test func aLargeImportIsStoredWhole() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            let ada = try await services.register("ada").member
            var lines = ["First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
            for index in 0..<1_500 {
                lines.append("Person,Number\(index),https://example.org/\(index),p\(index)@example.org,Org \(index % 40),Role,15 Mar 2021")
            }
            let report = try await services.contacts.importContacts(lines.joined(separator: "\n"), format: nil, owner: ada)
            #expect(report.created == 1_500)
            var count = 0
            var after: String?
            repeat {
                let page = try await services.contacts.list(text: nil, tag: "linkedin", status: nil, after: after, limit: "100", owner: ada)
                count += page.items.count
                after = page.next
            } while after != nil
            #expect(count == 1_500)
        }
    }
}

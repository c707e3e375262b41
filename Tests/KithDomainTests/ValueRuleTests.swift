import KithDomain
import Testing

@Suite struct HandleTests {
    @Test(arguments: ["ada", "Ada-Lovelace", "a1-b2", "x9z"])
    func acceptsAndLowercasesValidHandles(_ raw: String) throws {
        #expect(try Handle(raw).rawValue == raw.lowercased())
    }

    @Test(arguments: ["ab", "-ada", "ada-", "a--b", "ada lovelace", "adá", String(repeating: "a", count: 31), "admin", "me"])
    func rejectsInvalidOrReservedHandles(_ raw: String) {
        #expect(throws: DomainError.self) { try Handle(raw) }
    }

    @Test func namesTheFieldAndTheRule() {
        #expect(throws: DomainError.invalid(field: "handle", reason: "must be 3–30 characters of a–z, 0–9 and '-'")) {
            try Handle("a!")
        }
    }
}

@Suite struct EmailAddressTests {
    @Test func normalisesToLowercase() throws {
        #expect(try EmailAddress("  Ada@Example.ORG ").rawValue == "ada@example.org")
    }

    @Test(arguments: ["", "ada", "ada@", "@example.org", "ada@example", "ada @example.org", "a@b..c", "<a@b.c>"])
    func rejectsMalformedAddresses(_ raw: String) {
        #expect(throws: DomainError.self) { try EmailAddress(raw) }
    }
}

@Suite struct PasswordTests {
    @Test func enforcesLengthInCharactersAndBytes() throws {
        #expect(throws: DomainError.self) { try Password("short") }
        #expect(throws: DomainError.self) { try Password(String(repeating: "é", count: 40)) }
        #expect(try Password("long enough").value == "long enough")
    }
}

@Suite struct PageSizeTests {
    @Test func defaultsAndBounds() throws {
        #expect(try PageSize(nil).value == 20)
        #expect(try PageSize("100").value == 100)
        #expect(throws: DomainError.self) { try PageSize("0") }
        #expect(throws: DomainError.self) { try PageSize("101") }
        #expect(throws: DomainError.self) { try PageSize("ten") }
    }

    @Test func cursorsRoundTripAndRejectGarbage() throws {
        let cursor = Cursor.encode(["ada lovelace", "0193"])
        #expect(try Cursor.decode(cursor, parts: 2) == ["ada lovelace", "0193"])
        #expect(throws: DomainError.self) { try Cursor.decode("!!!", parts: 2) }
        #expect(throws: DomainError.self) { try Cursor.decode(cursor, parts: 3) }
        #expect(throws: DomainError.self) { try Cursor.decode(cursor, parts: 2, numericFirst: true) }
        #expect(try Cursor.decode(Cursor.encode(["1700", "x"]), parts: 2, numericFirst: true) == ["1700", "x"])
    }
}

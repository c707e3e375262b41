import Foundation
import KithDemo
import Testing

@testable import KithDomain

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
        #expect(throws: DomainError.self) { try Cursor.decode(String(repeating: "A", count: 513), parts: 2) }
        // The byte-by-byte URL-safe alphabet agrees with Foundation's base64 and its replacements,
        // and every cursor reads back, whatever its text.
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let parts = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
                String(
                    (0..<Int.random(in: 1...40, using: &rng)).map { _ in Character(UnicodeScalar(UInt8.random(in: 32...126, using: &rng))) }
                )
                    + (Bool.random(using: &rng) ? "é→\u{1F600}" : "")
            }
            let cursor = Cursor.encode(parts)
            let reference = Data(parts.joined(separator: "\u{1F}").utf8).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(cursor == reference)
            #expect(try Cursor.decode(cursor, parts: parts.count) == parts)
        }
        #expect(throws: DomainError.self) { try Cursor.decode(cursor, parts: 3) }
        #expect(throws: DomainError.self) { try Cursor.decode(cursor, parts: 2, numericFirst: true) }
        #expect(try Cursor.decode(Cursor.encode(["1700", "x"]), parts: 2, numericFirst: true) == ["1700", "x"])
    }
}

@Suite struct CadenceRuleTests {
    /// Found by the long fuzzing run: an ideal above 3650 with a maximum made an invalid range and
    /// crashed the server. Every out-of-range pair is now a field error.
    @Test(arguments: [(3651, 3651), (3651, nil), (0, 5), (-22_297_474_726_754, nil), (10, 9), (10, 3651), (Int.max, Int.min)])
    func outOfRangeCadencesNameTheirFields(ideal: Int, maximum: Int?) {
        do {
            _ = try Cadence.validated(ideal: ideal, maximum: maximum)
            Issue.record("\(ideal)/\(String(describing: maximum)) was accepted")
        } catch DomainError.invalid(let errors) {
            #expect(!errors.isEmpty)
            #expect(Set(errors.map(\.field)).isSubset(of: ["ideal_days", "max_days"]))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func inRangeCadencesAreKept() throws {
        #expect(try Cadence.validated(ideal: 3650, maximum: 3650) == Cadence(idealDays: 3650, maximumDays: 3650))
        #expect(try Cadence.validated(ideal: 30, maximum: nil) == Cadence(idealDays: 30, maximumDays: 45))
    }
}

@Suite struct SecretTokenTests {
    /// FIPS 180-2 test vectors: the stored digest is lowercase hex SHA-256 of the token.
    @Test(arguments: [
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ])
    func digestIsHexSHA256(_ value: String, _ expected: String) {
        #expect(SecretToken(value: value).digest == expected)
    }

    @Test func generatedTokensDiffer() {
        let first = SecretToken.generate(prefix: "kt_")
        let second = SecretToken.generate(prefix: "kt_")
        #expect(first.value.hasPrefix("kt_") && first != second && first.digest != second.digest)
        #expect(first.digest.count == 64)
    }
}

@Suite struct WebAddressTests {
    @Test(arguments: [
        ("https://Example.ORG/Path?q=1&r=2#top", "https://example.org/Path?q=1&r=2#top"),
        ("HTTP://kith.example:8080", "http://kith.example:8080"),
        ("  https://xn--bcher-kva.example/  ", "https://xn--bcher-kva.example/"),
        ("https://[2001:db8::1]/x", "https://[2001:db8::1]/x"),
        ("", ""),
    ])
    func acceptsAndNormalisesWebAddresses(_ raw: String, _ stored: String) throws {
        #expect(try WebAddress.parse(raw, field: "website") == stored)
    }

    /// The reported injection, and every character class that could end an attribute, start a
    /// tag or change what a browser navigates to.
    @Test(arguments: [
        #"https://x.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/"><a x=""#,
        "https://x.example/'onmouseover='alert(1)", "https://x.example/<script>", "https://x.example/a b",
        "https://x.example/a\tb", "https://x.example/\u{202E}gpj.exe", "https://x.example/\u{0}", "https://x.example/`",
        "https://x.example\\@evil.example/", "javascript:alert(1)", "JAVASCRIPT://x.example/%0aalert(1)", "data:text/html,<b>",
        "ftp://x.example/", "//evil.example/", "https://", "https://user:pass@x.example/", "https://x.example:99999/",
        "https://-x.example/", "https://x..example/", "https://x.example:/", "example.org",
    ])
    func refusesAnythingButAPlainHTTPAddress(_ raw: String) {
        #expect(throws: DomainError.self) { try WebAddress.parse(raw, field: "website") }
    }

    @Test func namesTheFieldAndTheRule() {
        #expect(
            throws: DomainError.invalid(field: "online_url", reason: "must be a web address starting with https:// (no spaces or quotes)")
        ) {
            try WebAddress.parse("https://x.example/\"", field: "online_url")
        }
    }
}

@Suite struct TextRuleTests {
    @Test func aShortNameCannotHideAMountainOfCombiningMarks() {
        let name = String(repeating: "a" + String(repeating: "\u{0301}", count: 50), count: 99)
        #expect(name.count == 99)
        #expect(throws: DomainError.invalid(field: "name", reason: "must be at most 100 characters")) {
            try Text.clean(name, field: "name", max: 100)
        }
        #expect(throws: DomainError.self) { try Text.clean(String(repeating: "\u{0301}", count: 250_000), field: "name", max: 100) }
    }

    @Test func textIsStoredInNFC() throws {
        let decomposed = "Jose\u{0301} N\u{0303}u\u{0301}n\u{0303}ez"
        let cleaned = try Text.clean(decomposed, field: "name", max: 100)
        #expect(Array(cleaned.utf8) == Array("Jos\u{E9} \u{D1}\u{FA}\u{F1}ez".utf8))
    }

    @Test(arguments: ["\u{202E}evil", "Ada\u{202D}", "x\u{2066}y", "x\u{2069}", "x\u{202A}y"])
    func namesRefuseBidirectionalOverrides(_ raw: String) {
        #expect(throws: DomainError.self) { try Text.clean(raw, field: "name", max: 100) }
    }

    @Test func multiLineTextKeepsNoBareCarriageReturn() throws {
        let cleaned = try Text.clean("one\rtwo\r\nthree\nfour", field: "notes", max: 100, multiline: true)
        #expect(cleaned == "one\ntwo\nthree\nfour")
        #expect(!cleaned.utf8.contains(13))
    }

    /// The ASCII path of `Text.clean` against the general one (Foundation's trimming and NFC):
    /// the same text or the same error, on random ASCII heavy in what trimming, line endings,
    /// counting and the control rule treat specially.
    @Test func theAsciiPathCleansAsTheGeneralPathDoes() throws {
        var random = SplitMix64(seed: 2_026_120_4)
        let alphabet: [String] = [
            " ", "\t", "\n", "\r", "\r\n", "\u{0B}", "\u{0C}", "\u{00}", "\u{1B}", "\u{7F}", "a", "Z", "7", "<", "&", "~",
        ]
        var checked = (texts: 0, errors: 0)
        for _ in 0..<20_000 {
            let raw = (0..<Int.random(in: 0...14, using: &random)).map { _ in alphabet.randomElement(using: &random)! }.joined()
            let max = Int.random(in: 1...12, using: &random)
            let min = Int.random(in: 0...2, using: &random)
            let multiline = Bool.random(using: &random)
            let general = Result { () throws(DomainError) in
                try Text.cleanUnicode(raw, field: "f", max: max, min: min, multiline: multiline)
            }
            let ascii = Result { () throws(DomainError) in try Text.cleanASCII(raw, field: "f", max: max, min: min, multiline: multiline) }
            switch (general, ascii) {
            case (.success(let expected), .success(let found)):
                #expect(
                    found.map { Array($0.utf8) } == Array(expected.utf8),
                    "\(Array(raw.utf8)) max \(max) min \(min) multiline \(multiline)"
                )
                checked.texts += 1
            case (.failure(let expected), .failure(let found)):
                #expect(found == expected, "\(Array(raw.utf8)) max \(max) min \(min) multiline \(multiline)")
                checked.errors += 1
            default:
                Issue.record("\(Array(raw.utf8)) max \(max) min \(min) multiline \(multiline): \(general) vs \(ascii)")
            }
        }
        // Both kinds of answer were compared many times.
        #expect(checked.texts > 1_000 && checked.errors > 1_000, "\(checked)")
        #expect(try Text.cleanASCII("caf\u{E9}", field: "f", max: 10, min: 0, multiline: false) == nil)
    }
}

@Suite struct TextKeyTests {
    /// The ASCII fast path of `Text.key` against Foundation's folding, trimming and splitting.
    @Test func theAsciiKeyIsFoundationsKey() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("aZ m\t\n\r\u{0B}\u{0C}-_.,Q9 \r\n") + (0x20...0x7E).map { Character(UnicodeScalar(UInt8($0))) }
        for _ in 0..<2_000 {
            let text = String((0..<Int.random(in: 0...24, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            #expect(Text.asciiKey(text) == Text.foldedKey(text), "\(text.debugDescription)")
        }
        #expect(Text.asciiKey("  Data \t Engineering\n") == "data engineering")
        #expect(Text.asciiKey("Zoë") == nil)
        #expect(Text.key("Zoë  Müller ") == "zoe muller")
    }
}

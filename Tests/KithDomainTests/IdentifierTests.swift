import Foundation
import Testing

@testable import KithDomain

/// Ids are parsed and written by hand (rows carry them as text); both must agree with Foundation.
@Suite struct IdentifierTests {
    @Test func parsingAndWritingAgreeWithFoundation() {
        for index in 0..<2_000 {
            let uuid = index.isMultiple(of: 2) ? UUID() : UUID.version7(at: Date(timeIntervalSince1970: Double(index) * 1_000_003))
            #expect(uuid.lowercasedString == uuid.uuidString.lowercased())
            #expect(UUID(hexString: uuid.uuidString) == uuid)
            #expect(UUID(hexString: uuid.uuidString.lowercased()) == uuid)
            #expect(Member.ID(uuid.uuidString)?.description == uuid.uuidString.lowercased())
        }
    }

    @Test func malformedIdsAreRefusedAsFoundationRefusesThem() {
        let good = "019bc186-de00-7c5e-93de-8d1dad8dcce8"
        let bad = [
            "", "019bc186de007c5e93de8d1dad8dcce8", good + "0", String(good.dropLast()),
            "019bc186-de00-7c5e-93de-8d1dad8dcceg", "019bc186-de007-c5e-93de-8d1dad8dcce8", "019bc186-de00-7c5e-93de-8d1dad8dcc\u{e9}",
            "019bc186+de00-7c5e-93de-8d1dad8dcce8",
        ]
        #expect(UUID(hexString: good) != nil)
        for text in bad {
            #expect(UUID(hexString: text) == nil, "\(text)")
            #expect(UUID(uuidString: text) == nil, "Foundation refuses \(text) too")
        }
        // Stricter than Foundation's sscanf, which reads "{1" as the hex byte 0x01 and skips a leading space.
        #expect(UUID(hexString: "{19bc186-de00-7c5e-93de-8d1dad8dcce8") == nil)
        #expect(UUID(hexString: " " + String(good.dropFirst())) == nil)
    }
}

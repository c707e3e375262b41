import Foundation

/// The words of a text as the index keeps them and a query looks them up: runs of letters and
/// digits, lowercased, accents removed ("Zoë" → "zoe"), at most `maxLength` characters each.
/// ASCII text (most profiles) is split byte by byte; other text is folded first.
public enum Words {
    public static let maxLength = 40

    public static func split(_ text: String) -> [String] {
        var words: [String] = []
        forEach(in: text) { words.append($0) }
        return words
    }

    static func forEach(in text: String, _ body: (String) -> Void) {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            var word: [UInt8] = []
            word.reserveCapacity(16)
            func emit() {
                guard !word.isEmpty else { return }
                body(String(decoding: word.prefix(maxLength), as: UTF8.self))
                word.removeAll(keepingCapacity: true)
            }
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): word.append(byte)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): word.append(byte + 32)
                default: emit()
                }
            }
            emit()
            return
        }
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
        var word = String.UnicodeScalarView()
        func emit() {
            guard !word.isEmpty else { return }
            body(String(String(word).prefix(maxLength)))
            word = String.UnicodeScalarView()
        }
        for scalar in folded.unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                word.append(scalar)
            } else {
                emit()
            }
        }
        emit()
    }
}

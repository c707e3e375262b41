import Crypto
import Foundation

/// Hex SHA-256, used to store secrets (tokens, session ids, invitation codes) by digest only.
enum SHA256Digest {
    static func hex(of text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

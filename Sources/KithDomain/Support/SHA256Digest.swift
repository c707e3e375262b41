import Crypto
import Foundation

/// Hex SHA-256, used to store secrets (tokens, session ids, invitation codes) by digest only.
enum SHA256Digest {
    static func hex(of text: String) -> String {
        // By hand: `String(format: "%02x")` per byte showed in profiles of the server under load
        // (every API request hashes its bearer token).
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(text.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}

/// HMAC-SHA-256, for links the community signs (unsubscribe).
enum HMACSHA256 {
    static func code(for message: Data, key: Data) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }
}

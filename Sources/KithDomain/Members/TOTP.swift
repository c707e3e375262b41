import Crypto
public import Foundation

/// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): HMAC-SHA1, 30-second steps,
/// six digits — what every authenticator app speaks. The shared secret is 20 random bytes,
/// shown to the member in base32 (RFC 4648) and as an `otpauth://` address.
public struct TOTP: Sendable, Equatable {
    public let secret: [UInt8]
    public static let step: TimeInterval = 30
    public static let digits = 6

    public init(secret: [UInt8]) { self.secret = secret }

    public static func generate() -> TOTP {
        var generator = SystemRandomNumberGenerator()
        return TOTP(secret: (0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    public init?(base32 text: String) {
        guard let bytes = Base32.decode(text), !bytes.isEmpty else { return nil }
        secret = bytes
    }

    public var base32: String { Base32.encode(secret) }

    /// The address an authenticator app reads (Key Uri Format).
    public func uri(account: String, issuer: String = "Kith") -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~@")
        let encoded = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
        return
            "otpauth://totp/\(encoded(issuer)):\(encoded(account))?secret=\(base32)&issuer=\(encoded(issuer))&algorithm=SHA1&digits=6&period=30"
    }

    public static func counter(at date: Date) -> Int64 { Int64((date.timeIntervalSince1970 / step).rounded(.down)) }

    /// The code for one time step (RFC 4226 §5.3 dynamic truncation).
    public func code(counter: Int64, digits: Int = TOTP.digits) -> String {
        var big = UInt64(bitPattern: counter).bigEndian
        let message = withUnsafeBytes(of: &big) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let binary =
            (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: digits - value.count) + value
    }

    /// The time step a code belongs to, when it is the code of the step at `date` or one step
    /// either side (clock drift); a step at or before `after` is refused (a code works once).
    public func verify(_ raw: String, at date: Date, after: Int64?) -> Int64? {
        let code = raw.filter { !$0.isWhitespace }
        guard code.count == Self.digits, code.allSatisfy(\.isASCII), code.allSatisfy(\.isNumber) else { return nil }
        let now = Self.counter(at: date)
        for counter in [now, now - 1, now + 1] where counter > (after ?? Int64.min) {
            if ConstantTime.equal(self.code(counter: counter), code) { return counter }
        }
        return nil
    }
}

/// RFC 4648 base32, upper case, without padding.
enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    static func encode(_ bytes: [UInt8]) -> String {
        var output = ""
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { output.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return output
    }

    static func decode(_ text: String) -> [UInt8]? {
        var output: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for character in text.uppercased() where character != "=" && character != " " && character != "-" {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = (buffer << 5) | UInt32(value)
            bits += 5
            if bits >= 8 {
                output.append(UInt8((buffer >> UInt32(bits - 8)) & 0xff))
                bits -= 8
            }
        }
        return output
    }
}

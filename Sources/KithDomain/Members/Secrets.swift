import Foundation

/// Hashes and checks passwords. Implemented with bcrypt outside the domain.
public protocol PasswordHasher: Sendable {
    func hash(_ password: String) async throws -> String
    func verify(_ password: String, against hash: String) async throws -> Bool
    /// A hash of a random password at the same cost, verified against when an email is unknown
    /// so that the answer takes as long as for a real account.
    var unknownAccountHash: String { get }
    /// Whether a stored hash was made with weaker settings than new ones are (a lower bcrypt
    /// cost): it is then replaced at the next successful sign-in.
    func needsRehash(_ hash: String) -> Bool
}

/// A secret handed to a client once (session cookie, API token, invitation code) and stored only
/// as its digest, so a database leak does not leak usable credentials.
public struct SecretToken: Sendable, Equatable {
    public let value: String

    public init(value: String) {
        self.value = value
    }

    /// 32 random bytes, base64url without padding, with a readable prefix.
    public static func generate(prefix: String) -> SecretToken {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let encoded = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return SecretToken(value: prefix + encoded)
    }

    /// The stored form: lowercase hex SHA-256 of the token.
    public var digest: String { SHA256Digest.hex(of: value) }
}

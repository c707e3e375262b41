import Crypto
import Foundation
import KithDomain

/// The anonymous forms' CSRF token (sign in, sign up): a double-submit cookie whose value the
/// form must send back. The value is a random nonce bound to this instance's secret
/// (`nonce.HMAC(secret, nonce)`), so a value planted in the browser by anyone else — a sibling
/// subdomain, a man in the middle on plain HTTP — is not accepted, and anything not of that exact
/// shape is ignored and replaced.
public struct CSRFCookie: Sendable {
    private let key: SymmetricKey

    public init(secret: String) {
        key = SymmetricKey(data: Data(SHA256.hash(data: Data(("kith-csrf:" + secret).utf8))))
    }

    /// A key of its own, for a router built without a database (never for serving).
    public static func ephemeral() -> CSRFCookie {
        CSRFCookie(secret: SecretToken.generate(prefix: "").value)
    }

    func mint() -> String {
        let nonce = SecretToken.generate(prefix: "").value
        return nonce + "." + signature(nonce)
    }

    /// Whether `value` is one this instance minted.
    func isValid(_ value: String) -> Bool {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 43, parts[1].count == 43,
            value.utf8.allSatisfy({ Self.alphabet.contains($0) })
        else { return false }
        return ConstantTime.equal(String(parts[1]), signature(String(parts[0])))
    }

    private func signature(_ nonce: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(nonce.utf8), using: key)
        return Data(mac).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.".utf8)
}

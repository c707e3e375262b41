import Foundation
import HummingbirdBcrypt
public import KithDomain
import NIOPosix

/// bcrypt on a thread pool of its own, so hashing never blocks request handling.
public struct BcryptPasswordHasher: PasswordHasher {
    public let cost: UInt8
    public let unknownAccountHash: String
    private static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, ProcessInfo.processInfo.activeProcessorCount))
        pool.start()
        return pool
    }()

    /// `cost` 12 is the default; tests use 4 (the minimum) to stay fast.
    public init(cost: UInt8 = 12) {
        self.cost = max(4, min(cost, 31))
        self.unknownAccountHash = Bcrypt.hash(SecretToken.generate(prefix: "").value, cost: self.cost)
    }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await Self.pool.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// bcrypt hashes read `$2b$12$…`: the cost is the number between the second and third `$`.
    public func needsRehash(_ hash: String) -> Bool {
        let parts = hash.split(separator: "$", omittingEmptySubsequences: true)
        guard parts.count >= 2, let stored = UInt8(parts[1]) else { return true }
        return stored < cost
    }

    public func verify(_ password: String, against hash: String) async throws -> Bool {
        try await Self.pool.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}

public import Foundation

/// What storage keeps of a member's second factor.
public struct TwoFactorState: Sendable, Equatable {
    public var secret: String?
    public var enabledAt: Date?
    public var lastStep: Int64?

    public init(secret: String?, enabledAt: Date?, lastStep: Int64?) {
        self.secret = secret
        self.enabledAt = enabledAt
        self.lastStep = lastStep
    }
}

public protocol TwoFactorRepository: Sendable {
    func state(of member: Member.ID) async throws -> TwoFactorState
    /// A new secret, not yet confirmed (two-factor sign-in is off until it is).
    func setPendingSecret(_ secret: String, of member: Member.ID) async throws
    /// Turns two-factor sign-in on and replaces the recovery codes (by digest).
    func enable(_ member: Member.ID, at: Date, step: Int64, recoveryCodeDigests: [String]) async throws
    func disable(_ member: Member.ID) async throws
    /// Records a used time step, atomically: false when it (or a later one) was used already.
    func use(step: Int64, of member: Member.ID) async throws -> Bool
    /// Uses a recovery code once: false when it is unknown or used.
    func useRecoveryCode(digest: String, of member: Member.ID, at: Date) async throws -> Bool
    func unusedRecoveryCodes(of member: Member.ID) async throws -> Int
    func createChallenge(digest: String, member: Member.ID, expiresAt: Date) async throws
    func challenge(digest: String, now: Date) async throws -> Member.ID?
    func deleteChallenge(digest: String) async throws
}

/// A newly made authenticator secret, shown once to be scanned or typed in.
public struct TOTPSetup: Sendable, Equatable {
    public var secret: String
    public var uri: String
}

/// Two-factor sign-in with an authenticator app (TOTP, RFC 6238) and ten single-use recovery
/// codes. Once on, a web sign-in asks for a code after the password, and so does
/// `POST /api/v1/auth/token` (its `totp` field). Codes are attempt-limited and work once.
public struct TwoFactorService: Sendable {
    private let members: any MemberRepository
    private let repository: any TwoFactorRepository
    private let attempts: any AttemptRepository
    private let hasher: any PasswordHasher
    private let now: @Sendable () -> Date

    public static let codeLimit = AttemptLimit(free: 5, window: 3_600, baseDelay: 30, maxDelay: 900)
    public static let recoveryCodeCount = 10
    /// How long the second step of a web sign-in may wait for its code.
    public static let challengeLifetime: TimeInterval = 5 * 60

    public init(
        members: any MemberRepository,
        repository: any TwoFactorRepository,
        attempts: any AttemptRepository,
        hasher: any PasswordHasher,
        now: @escaping @Sendable () -> Date
    ) {
        self.members = members
        self.repository = repository
        self.attempts = attempts
        self.hasher = hasher
        self.now = now
    }

    public func isEnabled(_ member: Member) async throws -> Bool {
        try await repository.state(of: member.id).enabledAt != nil
    }

    public func unusedRecoveryCodes(of member: Member) async throws -> Int {
        try await repository.unusedRecoveryCodes(of: member.id)
    }

    /// Starts setting up (or replacing) the authenticator: a new secret, off until confirmed.
    public func begin(for member: Member) async throws -> TOTPSetup {
        if try await isEnabled(member) {
            throw DomainError.conflict(field: nil, message: "Two-factor sign-in is already on; turn it off first to use another app.")
        }
        let totp = TOTP.generate()
        try await repository.setPendingSecret(totp.base32, of: member.id)
        return TOTPSetup(secret: totp.base32, uri: totp.uri(account: member.email.rawValue))
    }

    /// Turns two-factor sign-in on with a code from the app; returns the recovery codes, shown once.
    public func confirm(_ code: String, for member: Member) async throws -> [String] {
        let state = try await repository.state(of: member.id)
        guard state.enabledAt == nil, let secret = state.secret, let totp = TOTP(base32: secret) else {
            throw DomainError.conflict(field: nil, message: "Start setting up two-factor sign-in first.")
        }
        try await attempts.take(["totp:" + member.id.description: Self.codeLimit], at: now())
        guard let step = totp.verify(code, at: now(), after: nil) else {
            throw DomainError.invalid(field: "code", reason: "is not the code your authenticator app shows now")
        }
        let codes = (0..<Self.recoveryCodeCount).map { _ in Self.recoveryCode() }
        try await repository.enable(member.id, at: now(), step: step, recoveryCodeDigests: codes.map(Self.digest))
        try await attempts.clear(key: "totp:" + member.id.description)
        return codes
    }

    /// Turns it off; the account password is required.
    public func disable(for member: Member, password: String) async throws {
        try await attempts.take(["totp:" + member.id.description: Self.codeLimit], at: now())
        guard let found = try await members.credentials(email: member.email), try await hasher.verify(password, against: found.passwordHash)
        else { throw DomainError.invalid(field: "password", reason: "is not your password") }
        try await repository.disable(member.id)
    }

    /// Checks a second factor — a code from the app or an unused recovery code — and uses it up.
    public func verify(_ rawCode: String, for member: Member) async throws {
        let key = "totp:" + member.id.description
        try await attempts.take([key: Self.codeLimit], at: now())
        let state = try await repository.state(of: member.id)
        guard state.enabledAt != nil, let secret = state.secret, let totp = TOTP(base32: secret) else { return }
        let code = rawCode.trimmingCharacters(in: .whitespacesAndNewlines)
        if let step = totp.verify(code, at: now(), after: state.lastStep), try await repository.use(step: step, of: member.id) {
            try await attempts.clear(key: key)
            return
        }
        if code.count > TOTP.digits, try await repository.useRecoveryCode(digest: Self.digest(code), of: member.id, at: now()) {
            try await attempts.clear(key: key)
            return
        }
        throw DomainError.invalid(field: "code", reason: "is not a current code from your app or an unused recovery code")
    }

    /// After the password of a web sign-in: a short-lived ticket for the second step.
    public func startChallenge(for member: Member) async throws -> String {
        let token = SecretToken.generate(prefix: "mfa_")
        try await repository.createChallenge(
            digest: token.digest,
            member: member.id,
            expiresAt: now().addingTimeInterval(Self.challengeLifetime)
        )
        return token.value
    }

    /// The second step: the ticket and a code; the member, once both are right.
    public func completeChallenge(_ ticket: String, code: String) async throws -> Member {
        let digest = SecretToken(value: ticket).digest
        guard ticket.count <= 200, let id = try await repository.challenge(digest: digest, now: now()),
            let member = try await members.member(id: id)
        else { throw DomainError.unauthorized("This sign-in has expired: enter your email and password again.") }
        try await verify(code, for: member)
        try await repository.deleteChallenge(digest: digest)
        return member
    }

    /// `xxxxx-xxxxx` from an alphabet without look-alikes.
    static func recoveryCode() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<10).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
        return String(characters[0..<5]) + "-" + String(characters[5...])
    }

    static func digest(_ code: String) -> String {
        SHA256Digest.hex(of: code.lowercased().filter { $0.isLetter || $0.isNumber })
    }
}

public import Foundation

/// What a person fills in to join.
public struct RegistrationInput: Sendable {
    public var email: String
    public var password: String
    public var name: String
    public var handle: String
    public var invitation: String?

    public init(email: String, password: String, name: String, handle: String, invitation: String? = nil) {
        self.email = email
        self.password = password
        self.name = name
        self.handle = handle
        self.invitation = invitation
    }
}

/// Accounts: registration, signing in, sessions, API tokens and invitations.
public struct AccountService: Sendable {
    public struct Settings: Sendable {
        public var registration: RegistrationMode
        public var sessionLifetime: TimeInterval
        /// A session unused this long ends (a shared computer left signed in).
        public var sessionIdleTimeout: TimeInterval = 3 * 86_400
        public var invitationLifetime: TimeInterval
        /// Sign-in tries per account (whatever the client address) and per client address
        /// (whatever the account): a few at once, then progressively slower.
        public var signInPerAccount: AttemptLimit
        public var signInPerAddress: AttemptLimit
        /// New accounts per client address (nil: no limit).
        public var registrationPerAddress: AttemptLimit?

        public init(
            registration: RegistrationMode = .open,
            sessionLifetime: TimeInterval = 30 * 86_400,
            invitationLifetime: TimeInterval = 14 * 86_400,
            signInPerAccount: AttemptLimit = AttemptLimit(free: 5, window: 3_600, baseDelay: 30, maxDelay: 900),
            signInPerAddress: AttemptLimit = AttemptLimit(free: 30, window: 3_600, baseDelay: 5, maxDelay: 900),
            registrationPerAddress: AttemptLimit? = Self.registrations(perHour: 10)
        ) {
            self.registration = registration
            self.sessionLifetime = sessionLifetime
            self.invitationLifetime = invitationLifetime
            self.signInPerAccount = signInPerAccount
            self.signInPerAddress = signInPerAddress
            self.registrationPerAddress = registrationPerAddress
        }

        /// `perHour` new accounts an hour from one address, then one more every few minutes
        /// (doubling); 0 means no limit (load tests, imports behind one address).
        public static func registrations(perHour: Int) -> AttemptLimit? {
            perHour <= 0 ? nil : AttemptLimit(free: perHour, window: 3_600, baseDelay: 60, maxDelay: 3_600)
        }
    }

    private let members: any MemberRepository
    private let credentials: any CredentialRepository
    private let invitations: any InvitationRepository
    private let attempts: any AttemptRepository
    private let resets: any PasswordResetRepository
    private let pendingRegistrations: any PendingRegistrationRepository
    private let publicURL: String
    private let hasher: any PasswordHasher
    public let settings: Settings
    private let now: @Sendable () -> Date

    public init(
        members: any MemberRepository,
        credentials: any CredentialRepository,
        invitations: any InvitationRepository,
        attempts: any AttemptRepository,
        resets: any PasswordResetRepository,
        pendingRegistrations: any PendingRegistrationRepository,
        publicURL: String,
        hasher: any PasswordHasher,
        settings: Settings,
        now: @escaping @Sendable () -> Date
    ) {
        self.members = members
        self.credentials = credentials
        self.invitations = invitations
        self.attempts = attempts
        self.resets = resets
        self.pendingRegistrations = pendingRegistrations
        self.publicURL = publicURL
        self.hasher = hasher
        self.settings = settings
        self.now = now
    }

    /// Signs someone up from the web or the API. With registration `confirm` and no invitation,
    /// nothing is created yet: a link goes to the address, and the answer is the same whether the
    /// address is new or already has an account (that account's owner gets a "you already have
    /// an account" email instead), so sign-up does not tell who is a member. Otherwise the member
    /// is registered at once.
    public func signUp(_ input: RegistrationInput, clientAddress: String) async throws -> SignUpResult {
        let hasInvitation = !(input.invitation ?? "").isEmpty
        guard settings.registration == .confirm, !hasInvitation else {
            return .registered(try await register(input, clientAddress: clientAddress))
        }
        try await requestConfirmation(input, clientAddress: clientAddress)
        return .confirmationSent
    }

    /// Registers a member. In invite-only mode a usable invitation is required and consumed in
    /// the same transaction as the insert, so one invitation admits exactly one person (in
    /// `confirm` mode an invitation admits without a confirmation link).
    /// `clientAddress` is given for registrations from the web and the API, which are limited per
    /// address; the command line gives none.
    public func register(
        _ input: RegistrationInput,
        role: Role = .member,
        bypassInvitation: Bool = false,
        clientAddress: String? = nil
    ) async throws
        -> Member
    {
        if let clientAddress { try await takeRegistrationAttempt(clientAddress) }
        let (email, handle, name, password) = try Self.validate(input)

        var proof: RegistrationProof?
        let needsInvitation = settings.registration == .invite || (settings.registration == .confirm && clientAddress != nil)
        if needsInvitation && !bypassInvitation {
            guard let code = input.invitation, !code.isEmpty else {
                throw DomainError.forbidden("This community is invite-only: an invitation is required to join.")
            }
            let digest = SecretToken(value: code).digest
            guard let invitation = try await invitations.usableInvitation(digest: digest, now: now()) else {
                throw DomainError.forbidden("This invitation is not valid: it may have been used or have expired.")
            }
            if let invited = invitation.email, invited != email {
                throw DomainError.forbidden("This invitation was sent to another email address.")
            }
            proof = .invitation(digest: digest)
        }
        // Taken addresses and handles are found before any bcrypt work, so a stream of duplicate
        // registrations costs a lookup each, not a hash.
        try await checkNotTaken(email: email, handle: handle)
        let hash = try await hasher.hash(password.value)
        return try await insertMember(email: email, handle: handle, name: name, role: role, passwordHash: hash, proof: proof)
    }

    /// Opens the link of a pending sign-up: the member is created (with the password chosen when
    /// signing up) and the link stops working.
    public func confirmRegistration(token: String) async throws -> Member {
        let unusable = DomainError.invalid(
            field: "token",
            reason: "is not a valid confirmation link, or it was used or has expired: sign up again"
        )
        guard token.count <= 200 else { throw unusable }
        let digest = SecretToken(value: token).digest
        guard let pending = try await pendingRegistrations.pending(digest: digest, now: now()) else { throw unusable }
        return try await insertMember(
            email: pending.email,
            handle: pending.handle,
            name: pending.name,
            role: .member,
            passwordHash: pending.passwordHash,
            proof: .confirmation(digest: digest)
        )
    }

    private func takeRegistrationAttempt(_ clientAddress: String) async throws {
        if let limit = settings.registrationPerAddress {
            try await attempts.take(["register:address:" + clientAddress: limit], at: now())
        }
    }

    private static func validate(_ input: RegistrationInput) throws -> (EmailAddress, Handle, String, Password) {
        var check = Validation()
        let email = check.capture { try EmailAddress(input.email) }
        let handle = check.capture { try Handle(input.handle) }
        let name = check.capture { try Member.validName(input.name) }
        let password = check.capture { try Password(input.password) }
        try check.throwIfFailed()
        return (email!, handle!, name!, password!)
    }

    private func checkNotTaken(email: EmailAddress, handle: Handle) async throws {
        if try await members.credentials(email: email) != nil {
            throw DomainError.conflict(field: "email", message: "An account with this email already exists.")
        }
        try await checkHandleFree(handle)
    }

    private func checkHandleFree(_ handle: Handle) async throws {
        if try await members.member(handle: handle) != nil {
            throw DomainError.conflict(field: "handle", message: "This handle is taken; choose another.")
        }
    }

    private func insertMember(
        email: EmailAddress,
        handle: Handle,
        name: String,
        role: Role,
        passwordHash: String,
        proof: RegistrationProof?
    ) async throws -> Member {
        let createdAt = now()
        let member = Member(id: .make(at: createdAt), email: email, handle: handle, name: name, role: role, createdAt: createdAt)
        switch try await members.insert(member, passwordHash: passwordHash, consuming: proof, now: createdAt) {
        case .registered: return member
        case .emailTaken: throw DomainError.conflict(field: "email", message: "An account with this email already exists.")
        case .handleTaken:
            let again = proof.map { if case .confirmation = $0 { true } else { false } } ?? false
            throw DomainError.conflict(
                field: "handle",
                message: again
                    ? "Someone took this handle before you confirmed: sign up again with another." : "This handle is taken; choose another."
            )
        case .invitationUnusable:
            throw DomainError.forbidden("This invitation is not valid: it may have been used or have expired.")
        case .confirmationUnusable:
            throw DomainError.invalid(
                field: "token",
                reason: "is not a valid confirmation link, or it was used or has expired: sign up again"
            )
        }
    }

    /// The confirmation step of a sign-up: a link to a new address, or a note to the owner of an
    /// existing account. Both are limited per client address and per email address alike, so not
    /// even the rate limit tells them apart; the handle is checked (handles are public anyway).
    private func requestConfirmation(_ input: RegistrationInput, clientAddress: String) async throws {
        // Counted first, as in `register`: a stream of sign-ups costs one counter each, not a
        // handle lookup.
        try await takeRegistrationAttempt(clientAddress)
        let (email, handle, name, password) = try Self.validate(input)
        try await checkHandleFree(handle)
        let moment = now()
        try await attempts.take(
            ["register:email:" + email.rawValue: AttemptLimit(free: 3, window: 3_600, baseDelay: 600, maxDelay: 3_600)],
            at: moment
        )
        // Hashed whether or not the address has an account, so the time taken does not tell.
        let passwordHash = try await hasher.hash(password.value)
        if let existing = try await members.credentials(email: email) {
            try await pendingRegistrations.queue(
                OutgoingMail(
                    id: .make(at: moment),
                    memberID: existing.member.id,
                    key: "sign-up-existing:" + String(SecretToken.generate(prefix: "").value.prefix(16)),
                    to: email.rawValue,
                    subject: "You already have a Kith account",
                    body: """
                        Hi \(existing.member.name),

                        Someone — we hope you — tried to sign up to Kith with this email address, which already has an account. Sign in at \(publicURL)/signin, or if you have forgotten your password, choose a new one at \(publicURL)/password-reset.

                        If it was not you, ignore this email: nothing has changed.

                        — Kith
                        """,
                    createdAt: moment
                )
            )
            return
        }
        let token = SecretToken.generate(prefix: "join_")
        let pending = PendingRegistration(
            digest: token.digest,
            email: email,
            handle: handle,
            name: name,
            passwordHash: passwordHash,
            createdAt: moment,
            expiresAt: moment.addingTimeInterval(PendingRegistration.lifetime)
        )
        let mail = OutgoingMail(
            id: .make(at: moment),
            memberID: nil,
            key: "sign-up:" + String(token.digest.prefix(16)),
            to: email.rawValue,
            subject: "Confirm your Kith account",
            body: """
                Hi \(name),

                To finish creating your Kith account (@\(handle)), open this link within 48 hours and confirm:

                \(publicURL)/signup/confirm?token=\(token.value)

                If you did not sign up, ignore this email: no account is created without the link.

                — Kith
                """,
            createdAt: moment
        )
        try await pendingRegistrations.create(pending, mail: mail)
    }

    /// Checks an email and password. An unknown email costs the same bcrypt work and gets the
    /// same answer as a wrong password, so neither the message nor the timing tells which.
    /// Each try is counted before the password is checked, in one transaction with the check of
    /// the count, so parallel guesses get no more bcrypt checks than sequential ones.
    public func signIn(email rawEmail: String, password: String, clientAddress: String) async throws -> Member {
        let email = try? EmailAddress(rawEmail)
        let accountKey = "sign-in:account:" + Self.accountKey(rawEmail, parsed: email)
        let addressKey = "sign-in:address:" + clientAddress
        let moment = now()
        try await attempts.take([accountKey: settings.signInPerAccount, addressKey: settings.signInPerAddress], at: moment)
        var found: (member: Member, passwordHash: String)?
        if let email { found = try await members.credentials(email: email) }
        let matches = try await hasher.verify(password, against: found?.passwordHash ?? hasher.unknownAccountHash)
        guard let found, matches else { throw DomainError.unauthorized("The email or password is not right.") }
        try await attempts.clear(key: accountKey)
        try await attempts.forgive(key: addressKey)
        if hasher.needsRehash(found.passwordHash) {
            try await members.setPasswordHash(try await hasher.hash(password), of: found.member.id)
        }
        return found.member
    }

    /// The key an account's sign-in tries are counted under: the address as it is stored when it
    /// is one, else the text with every space, line break, control and invisible format
    /// character removed — so `ada@example.org`, `ada@example.org\n` and `ADA@example.org\u{2028}`
    /// share one counter.
    static func accountKey(_ raw: String, parsed: EmailAddress?) -> String {
        if let parsed { return parsed.rawValue }
        let kept = raw.unicodeScalars.filter { scalar in
            let category = scalar.properties.generalCategory
            return
                !(scalar.properties.isWhitespace || category == .control || category == .format || category == .lineSeparator
                || category == .paragraphSeparator)
        }
        return String(String.UnicodeScalarView(kept)).lowercased()
    }

    /// Uses of a session or token are recorded at most this often (each record is a write).
    static let touchInterval: TimeInterval = 300

    /// Starts a browser session: a fresh secret each time, so signing in rotates the session id.
    /// `client` names the browser on the member's "sessions and tokens" page.
    public func startSession(for member: Member, client: String = "") async throws -> (token: SecretToken, session: Session) {
        let token = SecretToken.generate(prefix: "s_")
        let csrf = SecretToken.generate(prefix: "c_").value
        let createdAt = now()
        let expiresAt = createdAt.addingTimeInterval(settings.sessionLifetime)
        try await credentials.insertSession(
            digest: token.digest,
            member: member.id,
            csrfToken: csrf,
            client: Self.clientName(client),
            createdAt: createdAt,
            expiresAt: expiresAt
        )
        return (token, Session(member: member, csrfToken: csrf, expiresAt: expiresAt, lastUsedAt: createdAt))
    }

    /// The session behind a cookie, unless it expired or went unused past the idle timeout.
    public func session(token: String) async throws -> Session? {
        guard token.count <= 200 else { return nil }
        let digest = SecretToken(value: token).digest
        let moment = now()
        guard let session = try await credentials.session(digest: digest, now: moment) else { return nil }
        let lastUsed = session.lastUsedAt ?? .distantPast
        if moment.timeIntervalSince(lastUsed) > settings.sessionIdleTimeout, session.lastUsedAt != nil {
            try await credentials.deleteSession(digest: digest)
            return nil
        }
        if moment.timeIntervalSince(lastUsed) > Self.touchInterval { try await credentials.touch(digest: digest, at: moment) }
        return session
    }

    public func endSession(token: String) async throws {
        try await credentials.deleteSession(digest: SecretToken(value: token).digest)
    }

    /// Issues an API token, working until revoked or, with `expiresInDays`, until then. The
    /// plaintext is returned once; only its digest is stored.
    public func issueToken(for member: Member, name: String = "api", expiresInDays: Int? = nil) async throws -> SecretToken {
        var check = Validation()
        let label = check.capture { try Text.clean(name, field: "name", max: 60) }
        if let days = expiresInDays, !(1...3_650).contains(days) { check.fail("expires_in_days", "must be from 1 to 3650") }
        try check.throwIfFailed()
        let token = SecretToken.generate(prefix: "kith_")
        let createdAt = now()
        try await credentials.insertToken(
            digest: token.digest,
            member: member.id,
            name: label ?? "api",
            createdAt: createdAt,
            expiresAt: expiresInDays.map { createdAt.addingTimeInterval(Double($0) * 86_400) }
        )
        return token
    }

    public func member(bearer token: String) async throws -> Member? {
        guard token.count <= 200 else { return nil }
        let digest = SecretToken(value: token).digest
        let moment = now()
        guard let (member, lastUsed) = try await credentials.member(tokenDigest: digest, now: moment) else { return nil }
        if moment.timeIntervalSince(lastUsed ?? .distantPast) > Self.touchInterval {
            try await credentials.touch(digest: digest, at: moment)
        }
        return member
    }

    public func revokeToken(_ token: String) async throws {
        _ = try await credentials.deleteToken(digest: SecretToken(value: token).digest)
    }

    /// The member's sessions and tokens; the one given (this request's) is marked current.
    public func credentials(of member: Member, current secret: String?) async throws -> [CredentialInfo] {
        let currentID = secret.map { String(SecretToken(value: $0).digest.prefix(16)) }
        return try await credentials.credentials(of: member.id, now: now()).map { info in
            var info = info
            info.current = info.id == currentID
            return info
        }
    }

    /// Ends one of the member's own sessions or tokens; anyone else's is "not found".
    public func revoke(credential id: String, of member: Member) async throws {
        guard try await credentials.revoke(id: id.lowercased(), of: member.id) else { throw DomainError.notFound("session or token") }
    }

    /// Changes the password: the current one is required, and every other session and token of
    /// the member ends (a thief signed in elsewhere is signed out); `keeping` is the secret of
    /// the session or token the change came through.
    public func changePassword(of member: Member, current: String, new rawNew: String, keeping: String?) async throws {
        let moment = now()
        try await attempts.take(["password-change:" + member.id.description: settings.signInPerAccount], at: moment)
        guard let found = try await members.credentials(email: member.email),
            try await hasher.verify(current, against: found.passwordHash)
        else { throw DomainError.invalid(field: "current_password", reason: "is not your current password") }
        let password = try Password(rawNew, field: "new_password")
        try await credentials.changePassword(
            hash: try await hasher.hash(password.value),
            of: member.id,
            keeping: keeping.map { SecretToken(value: $0).digest }
        )
        try await attempts.clear(key: "password-change:" + member.id.description)
    }

    /// Asks for a password reset link. The answer is the same whatever the address — a member's
    /// or not — so nobody learns who has an account; the link goes only to the account's own
    /// address, works once and for 30 minutes.
    public func requestPasswordReset(email rawEmail: String, clientAddress: String) async throws {
        let email = try? EmailAddress(rawEmail)
        let moment = now()
        let limit = AttemptLimit(free: 3, window: 3_600, baseDelay: 300, maxDelay: 3_600)
        try await attempts.take(
            [
                "reset:address:" + clientAddress: AttemptLimit(free: 10, window: 3_600, baseDelay: 60, maxDelay: 3_600),
                "reset:account:" + Self.accountKey(rawEmail, parsed: email): limit,
            ],
            at: moment
        )
        guard let email, let found = try await members.credentials(email: email) else { return }
        let token = SecretToken.generate(prefix: "reset_")
        let reset = PasswordReset(
            digest: token.digest,
            memberID: found.member.id,
            createdAt: moment,
            expiresAt: moment.addingTimeInterval(PasswordReset.lifetime)
        )
        let link = "\(publicURL)/password-reset/confirm?token=\(token.value)"
        let mail = OutgoingMail(
            id: .make(at: moment),
            memberID: found.member.id,
            key: "password-reset:" + String(token.digest.prefix(16)),
            to: found.member.email.rawValue,
            subject: "Reset your Kith password",
            body: """
                Hi \(found.member.name),

                Someone — we hope you — asked to reset the password of your Kith account. To choose a new one, open this link within 30 minutes:

                \(link)

                It works once. If you did not ask, ignore this email: your password stays as it is.

                — Kith
                """,
            createdAt: moment
        )
        try await resets.create(reset, mail: mail)
    }

    /// Sets a new password with a reset link's token; every session and token of the member
    /// ends, and the link (and any other) stops working.
    public func completePasswordReset(token: String, password rawPassword: String) async throws {
        let password = try Password(rawPassword)
        let hash = try await hasher.hash(password.value)
        guard token.count <= 200, try await resets.complete(digest: SecretToken(value: token).digest, now: now(), passwordHash: hash) != nil
        else {
            throw DomainError.invalid(field: "token", reason: "is not a valid reset link, or it was used or has expired: ask for a new one")
        }
    }

    /// A browser's name as its User-Agent gives it, in one short line.
    static func clientName(_ userAgent: String) -> String {
        let line = String(userAgent.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(160).map(Character.init))
        let lower = line.lowercased()
        let browser =
            lower.contains("edg/")
            ? "Edge"
            : lower.contains("firefox")
                ? "Firefox"
                : lower.contains("chrome")
                    ? "Chrome"
                    : lower.contains("safari") ? "Safari" : line.isEmpty ? "A browser" : String(line.prefix(60))
        let system =
            lower.contains("iphone") || lower.contains("ipad")
            ? " on iOS"
            : lower.contains("android")
                ? " on Android"
                : lower.contains("mac os")
                    ? " on macOS" : lower.contains("windows") ? " on Windows" : lower.contains("linux") ? " on Linux" : ""
        return browser + system
    }

    /// Creates a one-time invitation code, optionally bound to one email address.
    /// Only admins may invite through the app; the CLI acts as the operator (`by: nil`).
    public func invite(email rawEmail: String?, by inviter: Member?) async throws -> SecretToken {
        if let inviter, inviter.role != .admin {
            throw DomainError.forbidden("Only admins can invite new members.")
        }
        let email = try rawEmail.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : try EmailAddress($0) }
        let token = SecretToken.generate(prefix: "inv_")
        let createdAt = now()
        try await invitations.insert(
            Invitation(
                digest: token.digest,
                email: email,
                createdBy: inviter?.id,
                createdAt: createdAt,
                expiresAt: createdAt.addingTimeInterval(settings.invitationLifetime)
            )
        )
        return token
    }

    /// Changes a member's role. Operators do this from the command line.
    public func setRole(_ rawRole: String, ofHandle rawHandle: String) async throws -> Member {
        let role = try Role.parse(rawRole, field: "role")
        guard let handle = try? Handle(rawHandle), var member = try await members.member(handle: handle) else {
            throw DomainError.notFound("member")
        }
        _ = try await members.setRole(role, of: member.id)
        member.role = role
        return member
    }

    public func memberCount() async throws -> Int {
        try await members.count()
    }
}

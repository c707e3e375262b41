import Foundation
import KithApp
import KithDomain
import KithStorage
import KithTestSupport
import KithWeb
import Testing

@Suite struct AccountServiceTests {
    @Test func registersAndSignsIn() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            let ada = try await services.register("ada")

            let signedIn = try await services.accounts.signIn(email: "ADA@example.org", password: ada.password, clientAddress: "1.2.3.4")

            #expect(signedIn.id == ada.member.id)
            #expect(ada.member.role == .member)
        }
    }

    @Test func emailAndHandleAreUniqueIgnoringCase() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            _ = try await services.register("ada")

            await #expect(throws: DomainError.conflict(field: "email", message: "An account with this email already exists.")) {
                try await services.accounts.register(
                    RegistrationInput(email: "Ada@Example.org", password: "password123", name: "Other", handle: "other")
                )
            }
            await #expect(throws: DomainError.conflict(field: "handle", message: "This handle is taken; choose another.")) {
                try await services.accounts.register(
                    RegistrationInput(email: "x@example.org", password: "password123", name: "Other", handle: "ADA")
                )
            }
            #expect(try await services.accounts.memberCount() == 1)
        }
    }

    @Test func reportsEveryBrokenRuleAtOnce() async throws {
        try await withMigratedStore { store async throws in
            do {
                _ = try await testServices(store).accounts.register(
                    RegistrationInput(email: "nope", password: "short", name: "", handle: "x")
                )
                Issue.record("registration should fail")
            } catch DomainError.invalid(let errors) {
                #expect(Set(errors.map(\.field)) == ["email", "password", "name", "handle"])
            }
        }
    }

    @Test func unknownEmailAndWrongPasswordGetTheSameAnswer() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store)
            _ = try await services.register("ada")
            let expected = DomainError.unauthorized("The email or password is not right.")

            await #expect(throws: expected) {
                try await services.accounts.signIn(email: "ada@example.org", password: "wrong password", clientAddress: "a")
            }
            await #expect(throws: expected) {
                try await services.accounts.signIn(email: "nobody@example.org", password: "wrong password", clientAddress: "a")
            }
        }
    }

    @Test func signInIsRateLimitedPerAccountUntilTheWindowPasses() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let services = testServices(store, clock: clock)
            let ada = try await services.register("ada")
            for _ in 0..<5 {
                _ = try? await services.accounts.signIn(email: "ada@example.org", password: "wrong password", clientAddress: "a")
            }

            do {
                _ = try await services.accounts.signIn(email: "ada@example.org", password: ada.password, clientAddress: "b")
                Issue.record("the sixth attempt should be refused")
            } catch DomainError.rateLimited(let seconds) {
                #expect(seconds > 0 && seconds <= 900)
            }

            clock.advance(by: 901)
            let member = try await services.accounts.signIn(email: "ada@example.org", password: ada.password, clientAddress: "b")
            #expect(member.id == ada.member.id)
        }
    }

    @Test func inviteOnlyRegistrationConsumesOneInvitation() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store, registration: .invite)
            let input = { (email: String, handle: String, code: String?) in
                RegistrationInput(email: email, password: "password123", name: "New", handle: handle, invitation: code)
            }
            await #expect(throws: DomainError.self) {
                try await services.accounts.register(input("a@example.org", "aaa", nil))
            }
            let code = try await services.accounts.invite(email: nil, by: nil)

            _ = try await services.accounts.register(input("a@example.org", "aaa", code.value))

            await #expect(throws: DomainError.forbidden("This invitation is not valid: it may have been used or have expired.")) {
                try await services.accounts.register(input("b@example.org", "bbb", code.value))
            }
        }
    }

    @Test func anInvitationForOneAddressAdmitsOnlyThatAddress() async throws {
        try await withMigratedStore { store async throws in
            let services = testServices(store, registration: .invite)
            let code = try await services.accounts.invite(email: "grace@example.org", by: nil)

            await #expect(throws: DomainError.self) {
                try await services.accounts.register(
                    RegistrationInput(
                        email: "mallory@example.org",
                        password: "password123",
                        name: "M",
                        handle: "mallory",
                        invitation: code.value
                    )
                )
            }
            let grace = try await services.accounts.register(
                RegistrationInput(email: "Grace@example.org", password: "password123", name: "G", handle: "grace", invitation: code.value)
            )
            #expect(grace.handle.rawValue == "grace")
        }
    }

    @Test func sessionsAndTokensResolveToTheMemberAndCanBeRevoked() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let services = testServices(store, clock: clock)
            let ada = try await services.register("ada")
            let (sessionToken, session) = try await services.accounts.startSession(for: ada.member)
            let apiToken = try await services.accounts.issueToken(for: ada.member)

            #expect(try await services.accounts.session(token: sessionToken.value)?.csrfToken == session.csrfToken)
            #expect(try await services.accounts.member(bearer: apiToken.value)?.id == ada.member.id)

            try await services.accounts.revokeToken(apiToken.value)
            try await services.accounts.endSession(token: sessionToken.value)
            #expect(try await services.accounts.member(bearer: apiToken.value) == nil)
            #expect(try await services.accounts.session(token: sessionToken.value) == nil)
        }
    }

    @Test func sessionsExpire() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let services = testServices(store, clock: clock)
            let ada = try await services.register("ada")
            let (token, _) = try await services.accounts.startSession(for: ada.member)

            clock.advance(by: 31 * 86_400)

            #expect(try await services.accounts.session(token: token.value) == nil)
        }
    }
}

/// Counts bcrypt work, to show which requests cost a hash. Wraps the real hasher.
final class CountingHasher: PasswordHasher, @unchecked Sendable {
    let real: BcryptPasswordHasher
    private let lock = NSLock()
    private var counts = (hash: 0, verify: 0)

    init(cost: UInt8 = 4) { real = BcryptPasswordHasher(cost: cost) }

    var hashes: Int { lock.withLock { counts.hash } }
    var verifications: Int { lock.withLock { counts.verify } }
    var unknownAccountHash: String { real.unknownAccountHash }

    func hash(_ password: String) async throws -> String {
        lock.withLock { counts.hash += 1 }
        return try await real.hash(password)
    }

    func verify(_ password: String, against hash: String) async throws -> Bool {
        lock.withLock { counts.verify += 1 }
        return try await real.verify(password, against: hash)
    }

    func needsRehash(_ hash: String) -> Bool { real.needsRehash(hash) }
}

@Suite struct SignInThrottleTests {
    static func services(_ store: any Store, clock: TestClock, hasher: any PasswordHasher, perHour: Int = 10) -> Services {
        Services(store: store, registrationsPerHour: perHour, hasher: hasher, now: { clock.now })
    }

    /// 40 wrong passwords at once get exactly the five free bcrypt checks, not one per request.
    @Test func parallelGuessesGetNoMoreChecksThanSequentialOnes() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let hasher = CountingHasher()
            let services = Self.services(store, clock: clock, hasher: hasher)
            _ = try await services.register("ada")
            let before = hasher.verifications
            let outcomes = await withTaskGroup(of: String.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        do {
                            _ = try await services.accounts.signIn(
                                email: "ada@example.org",
                                password: "guess \(index)",
                                clientAddress: "a\(index)"
                            )
                            return "in"
                        } catch DomainError.rateLimited {
                            return "limited"
                        } catch DomainError.unauthorized {
                            return "wrong"
                        } catch is WorkTooLong {
                            // A machine too loaded to take the counter's lock within the statement
                            // limit answers "busy" (503): refused before any check, like "limited".
                            return "busy"
                        } catch {
                            return "error: \(error)"
                        }
                    }
                }
                var all: [String] = []
                for await outcome in group { all.append(outcome) }
                return all
            }
            #expect(hasher.verifications - before == 5)
            #expect(outcomes.filter { $0 == "wrong" }.count == 5, "\(outcomes)")
            #expect(outcomes.filter { $0 == "limited" || $0 == "busy" }.count == 35, "\(outcomes)")
        }
    }

    /// The account's counter is one whatever invisible characters follow the address.
    @Test(arguments: ["ada@example.org\n", "ada@example.org\r", "ADA@example.org\u{2028}", " ada@example.org\t", "ada@example.org\u{200B}"])
    func variantsOfTheAddressShareOneCounter(_ variant: String) async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let services = Self.services(store, clock: clock, hasher: BcryptPasswordHasher(cost: 4))
            _ = try await services.register("ada")
            for index in 0..<5 {
                _ = try? await services.accounts.signIn(email: "ada@example.org", password: "wrong", clientAddress: "b\(index)")
            }
            await #expect(throws: DomainError.self) {
                try await services.accounts.signIn(email: variant, password: "wrong", clientAddress: "c")
            }
            do {
                _ = try await services.accounts.signIn(email: variant, password: "wrong", clientAddress: "d")
                Issue.record("\(variant.debugDescription) got a fresh counter")
            } catch DomainError.rateLimited {
            }
        }
    }

    /// After the free tries each further try waits twice as long as the last; the owner, who
    /// knows the password, gets in as soon as the wait is over — never locked out.
    @Test func delaysGrowThenTheOwnerGetsIn() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let services = Self.services(store, clock: clock, hasher: BcryptPasswordHasher(cost: 4))
            let ada = try await services.register("ada")
            for _ in 0..<5 { _ = try? await services.accounts.signIn(email: "ada@example.org", password: "wrong", clientAddress: "x") }
            var waits: [Int] = []
            for _ in 0..<4 {
                do {
                    _ = try await services.accounts.signIn(email: "ada@example.org", password: "wrong", clientAddress: "x")
                } catch DomainError.rateLimited(let seconds) {
                    waits.append(seconds)
                    clock.advance(by: TimeInterval(seconds))
                    _ = try? await services.accounts.signIn(email: "ada@example.org", password: "wrong", clientAddress: "x")
                }
            }
            #expect(waits == [30, 60, 120, 240])
            await #expect(throws: DomainError.rateLimited(retryAfterSeconds: 480)) {
                try await services.accounts.signIn(email: "ada@example.org", password: ada.password, clientAddress: "x")
            }
            clock.advance(by: 480)
            #expect(
                try await services.accounts.signIn(email: "ada@example.org", password: ada.password, clientAddress: "x").id == ada.member.id
            )
            // Success clears the account's counter.
            _ = try? await services.accounts.signIn(email: "ada@example.org", password: "wrong", clientAddress: "x")
            #expect(
                try await services.accounts.signIn(email: "ada@example.org", password: ada.password, clientAddress: "x").id == ada.member.id
            )
        }
    }

    @Test func registrationChecksUniquenessBeforeHashingAndIsLimitedPerAddress() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let hasher = CountingHasher()
            let services = Self.services(store, clock: clock, hasher: hasher, perHour: 2)
            let input = { (n: Int) in
                RegistrationInput(email: "m\(n)@example.org", password: "password123", name: "M", handle: "member-\(n)")
            }
            _ = try await services.accounts.register(input(0), clientAddress: "203.0.113.1")
            let hashes = hasher.hashes
            await #expect(throws: DomainError.self) { try await services.accounts.register(input(0), clientAddress: "203.0.113.1") }
            #expect(hasher.hashes == hashes, "a duplicate cost a bcrypt hash")
            await #expect(throws: DomainError.self) { try await services.accounts.register(input(1), clientAddress: "203.0.113.1") }
            #expect(try await services.accounts.memberCount() == 1, "the third try from one address within the hour went through")
            _ = try await services.accounts.register(input(1), clientAddress: "203.0.113.2")
            clock.advance(by: 3_601)
            _ = try await services.accounts.register(input(2), clientAddress: "203.0.113.1")
            #expect(try await services.accounts.memberCount() == 3)
        }
    }

    @Test func aWeakerHashIsReplacedAtTheNextSignIn() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            _ = try await Self.services(store, clock: clock, hasher: BcryptPasswordHasher(cost: 4)).register("ada")
            let stronger = CountingHasher(cost: 5)
            let services = Self.services(store, clock: clock, hasher: stronger)
            let before = stronger.hashes
            _ = try await services.accounts.signIn(email: "ada@example.org", password: "correct horse ada", clientAddress: "x")
            #expect(stronger.hashes == before + 1)
            _ = try await services.accounts.signIn(email: "ada@example.org", password: "correct horse ada", clientAddress: "x")
            #expect(stronger.hashes == before + 1, "the hash was upgraded once and kept")
            #expect(
                BcryptPasswordHasher(cost: 5).needsRehash("$2b$04$abcdefghijklmnopqrstuv")
                    && !BcryptPasswordHasher(cost: 5).needsRehash("$2b$05$x")
            )
        }
    }
}

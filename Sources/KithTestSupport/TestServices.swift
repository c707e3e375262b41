import Foundation
public import KithDomain
public import KithStorage
public import KithWeb

/// The production services on a test store: bcrypt at its minimum cost, a movable clock.
public func testServices(
    _ store: any Store,
    clock: TestClock = TestClock(),
    registration: RegistrationMode = .open
) -> Services {
    Services(store: store, registration: registration, hasher: BcryptPasswordHasher(cost: 4), now: { clock.now })
}

extension Services {
    /// Registers `handle` with a predictable email and password.
    public func register(_ handle: String, name: String? = nil) async throws -> TestMember {
        let password = "correct horse \(handle)"
        let member = try await accounts.register(
            RegistrationInput(
                email: "\(handle)@example.org",
                password: password,
                name: name ?? handle.capitalized,
                handle: handle
            )
        )
        return TestMember(member: member, password: password)
    }
}

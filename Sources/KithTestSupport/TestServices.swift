import Foundation
public import KithApp
public import KithDomain
public import KithStorage
public import KithWeb

/// The production services on a test store: bcrypt at its minimum cost, a movable clock.
public func testServices(
    _ store: any Store,
    clock: TestClock = TestClock(),
    registration: RegistrationMode = .open,
    mail: any MailTransport = RecordingMailTransport()
) -> Services {
    Services(store: store, registration: registration, hasher: BcryptPasswordHasher(cost: 4), mail: mail, now: { clock.now })
}

/// Stands in for the mail server (the outside world): keeps what would have been sent.
public final class RecordingMailTransport: MailTransport, @unchecked Sendable {
    // Guarded by `lock`.
    private var messages: [OutgoingMail] = []
    private let lock = NSLock()
    /// When set, every send fails (to test retries).
    public var failing = false

    public init() {}

    public var sent: [OutgoingMail] {
        lock.lock()
        defer { lock.unlock() }
        return messages
    }

    public func send(_ mail: OutgoingMail, from sender: String) async throws {
        try record(mail)
    }

    private func record(_ mail: OutgoingMail) throws {
        lock.lock()
        defer { lock.unlock() }
        if failing { throw RecordingFailure() }
        messages.append(mail)
    }
}

struct RecordingFailure: Error {}

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

import Foundation
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

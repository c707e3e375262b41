import Foundation
import Hummingbird
import HummingbirdTesting
import KithApp
import KithDomain
import KithStorage
import KithTestSupport
import KithWeb
import Logging
import Testing

/// Registration `confirm`: open sign-up that makes nothing until the address is proved by a
/// mailed link, and that answers the same for a new address and a member's.
@Suite struct SignUpConfirmationTests {
    /// The app in `confirm` mode on a fresh store, with services on the same store (the mail is
    /// read from the outbox: the app's own worker may have sent it already).
    private func withConfirmingApp(
        _ body: @escaping @Sendable (Client, Services, any Store) async throws -> Void
    ) async throws {
        try await withMigratedStore { store async throws in
            let configuration = AppConfiguration(registration: .confirm, bcryptCost: 4, logLevel: .critical, registrationsPerHour: 0)
            let app = try await buildApplication(configuration: configuration, store: store)
            let services = testServices(store, clock: TestClock(Date()), registration: .confirm)
            try await app.test(.router) { client in try await body(Client(client: client), services, store) }
        }
    }

    private static func signUpJSON(_ handle: String, email: String) -> String {
        #"{"email":"\#(email)","password":"password-\#(handle)","name":"\#(handle.capitalized)","handle":"\#(handle)"}"#
    }

    private static func link(in mail: QueuedMail?) -> String? {
        mail?.body.firstMatch(of: /token=(join_[A-Za-z0-9_-]+)/).map { String($0.output.1) }
    }

    private static func link(in mail: OutgoingMail?) -> String? {
        mail?.body.firstMatch(of: /token=(join_[A-Za-z0-9_-]+)/).map { String($0.output.1) }
    }

    @Test func theAPIMakesTheAccountOnlyFromTheLinkAndAnswersAlikeForMembers() async throws {
        try await withConfirmingApp { client, services, store in
            let ada = try await services.register("ada")
            let adaToken = try await services.accounts.issueToken(for: ada.member).value
            let fresh = try await client.send(.post, "/api/v1/auth/register", json: Self.signUpJSON("grace", email: "grace@example.org"))
            let taken = try await client.send(.post, "/api/v1/auth/register", json: Self.signUpJSON("adatwo", email: "ada@example.org"))
            #expect(fresh.status == 202 && taken.status == 202, "\(fresh.text) \(taken.text)")
            #expect(fresh.text == taken.text, "the answer tells whether the address has an account")
            #expect(fresh.json["token"] == nil && fresh.json["member"] == nil)
            // Nothing of Grace exists before the link is opened.
            #expect(try await client.send(.get, "/api/v1/members/grace", token: adaToken).status == 404)
            let early = try await client.send(
                .post,
                "/api/v1/auth/token",
                json: #"{"email":"grace@example.org","password":"password-grace"}"#
            )
            #expect(early.status == 401)
            let toGrace = try await queuedMail(to: "grace@example.org", in: store)
            let toAda = try await queuedMail(to: "ada@example.org", in: store)
            #expect(toGrace.count == 1 && toAda.count == 1)
            #expect(toAda.first?.subject == "You already have a Kith account")
            #expect(Self.link(in: toAda.first) == nil, "a member's address got a sign-up link")
            let token = try #require(Self.link(in: toGrace.first))
            #expect(toGrace.first?.body.contains("/signup/confirm?token=") == true)

            let confirmed = try await client.send(.post, "/api/v1/auth/register/confirm", json: #"{"token":"\#(token)"}"#)
            #expect(confirmed.status == 201, "\(confirmed.text)")
            let graceToken = try #require(confirmed.json["token"] as? String)
            let me = try await client.send(.get, "/api/v1/me", token: graceToken)
            #expect(me.status == 200 && (me.json["handle"] as? String) == "grace")
            #expect(try await client.send(.get, "/api/v1/members/grace", token: adaToken).status == 200)
            let again = try await client.send(.post, "/api/v1/auth/register/confirm", json: #"{"token":"\#(token)"}"#)
            #expect(again.status == 422 && again.text.contains("token"))
            // Bad input is named, as everywhere.
            let bad = try await client.send(.post, "/api/v1/auth/register", json: Self.signUpJSON("x", email: "not-an-address"))
            #expect(bad.status == 422)
            let fields = Set((bad.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
            #expect(fields.isSuperset(of: ["email", "handle"]))
        }
    }

    @Test func theWebPagesSayCheckYourEmailAlikeAndTheLinkNeedsAButton() async throws {
        try await withConfirmingApp { client, services, store in
            _ = try await services.register("ada")
            var pages: [String] = []
            for (handle, email) in [("hopper", "hopper@example.org"), ("adatwo", "ada@example.org")] {
                let form = try await client.send(.get, "/signup")
                #expect(form.text.contains("We will email you a link"))
                let csrf = form.cookieValue("kith_csrf") ?? ""
                let page = try await client.send(
                    .post,
                    "/signup",
                    cookies: ["kith_csrf": csrf],
                    form: [("_csrf", csrf), ("name", "Someone"), ("handle", handle), ("email", email), ("password", "a long password")]
                )
                #expect(page.status == 200 && page.cookieValue("kith_session") == nil)
                pages.append(page.text.replacingOccurrences(of: email, with: "ADDRESS"))
            }
            #expect(pages[0] == pages[1] && pages[0].contains("Check your email"))
            let token = try #require(Self.link(in: try await queuedMail(to: "hopper@example.org", in: store).first))
            // Opening the link (as a mail scanner would) creates nothing.
            let opened = try await client.send(.get, "/signup/confirm?token=\(token)")
            #expect(opened.status == 200 && opened.text.contains("Confirm and sign in"))
            #expect(try await services.accounts.memberCount() == 1)
            let csrf = opened.cookieValue("kith_csrf") ?? ""
            let done = try await client.send(
                .post,
                "/signup/confirm",
                cookies: ["kith_csrf": csrf],
                form: [("_csrf", csrf), ("token", token)]
            )
            #expect(done.status == 303 && done.headers[.location] == "/me/edit")
            #expect(done.cookieValue("kith_session")?.isEmpty == false)
            #expect(try await services.accounts.memberCount() == 2)
            let reused = try await client.send(
                .post,
                "/signup/confirm",
                cookies: ["kith_csrf": csrf],
                form: [("_csrf", csrf), ("token", token)]
            )
            #expect(reused.status == 422 && reused.text.contains("This link is not a valid confirmation link"))
        }
    }

    @Test func linksExpireAndAHandleTakenMeanwhileIsExplained() async throws {
        try await withMigratedStore { store async throws in
            let mail = RecordingMailTransport()
            let clock = TestClock()
            let services = testServices(store, clock: clock, registration: .confirm, mail: mail)
            func signUp(_ handle: String, _ email: String) async throws -> SignUpResult {
                try await services.accounts.signUp(
                    RegistrationInput(email: email, password: "a long password", name: "Someone", handle: handle),
                    clientAddress: "198.51.100.7"
                )
            }
            #expect(try await signUp("linn", "lin@example.org") == .confirmationSent)
            #expect(try await signUp("linn", "lin2@example.org") == .confirmationSent)
            _ = try await services.reminders.deliverMail()
            let first = try #require(Self.link(in: mail.sent.first { $0.to == "lin@example.org" }))
            let second = try #require(Self.link(in: mail.sent.first { $0.to == "lin2@example.org" }))
            #expect(try await services.accounts.confirmRegistration(token: first).handle.rawValue == "linn")
            await #expect(
                throws: DomainError.conflict(
                    field: "handle",
                    message: "Someone took this handle before you confirmed: sign up again with another."
                )
            ) { _ = try await services.accounts.confirmRegistration(token: second) }

            #expect(try await signUp("moss", "mo@example.org") == .confirmationSent)
            _ = try await services.reminders.deliverMail()
            let late = try #require(Self.link(in: mail.sent.first { $0.to == "mo@example.org" }))
            clock.advance(by: PendingRegistration.lifetime + 60)
            await #expect(throws: DomainError.self) { _ = try await services.accounts.confirmRegistration(token: late) }
            #expect(try await services.accounts.memberCount() == 1)
        }
    }

    @Test func anInvitationAdmitsAtOnceAndOneAddressGetsFewMails() async throws {
        try await withMigratedStore { store async throws in
            let mail = RecordingMailTransport()
            let services = testServices(store, registration: .confirm, mail: mail)
            let code = try await services.accounts.invite(email: nil, by: nil).value
            let invited = try await services.accounts.signUp(
                RegistrationInput(email: "ivy@example.org", password: "a long password", name: "Ivy", handle: "ivy", invitation: code),
                clientAddress: "198.51.100.8"
            )
            guard case .registered(let ivy) = invited else { Issue.record("an invitation did not admit at once"); return }
            #expect(ivy.handle.rawValue == "ivy")
            // Someone typing a victim's address again and again: three mails, then "wait".
            var answers: [String] = []
            for attempt in 0..<4 {
                do {
                    _ = try await services.accounts.signUp(
                        RegistrationInput(email: "ivy@example.org", password: "a long password", name: "X", handle: "x\(attempt)x"),
                        clientAddress: "198.51.100.\(attempt + 20)"
                    )
                    answers.append("sent")
                } catch DomainError.rateLimited {
                    answers.append("wait")
                }
            }
            #expect(answers == ["sent", "sent", "sent", "wait"])
            _ = try await services.reminders.deliverMail()
            #expect(mail.sent.filter { $0.to == "ivy@example.org" }.count == 3)
        }
    }
}

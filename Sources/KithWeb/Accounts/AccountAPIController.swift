import Foundation
import Hummingbird
import KithDomain

/// Registration, API tokens and the caller's own profile.
struct AccountAPIController {
    let accounts: AccountService
    let profiles: ProfileService
    let twoFactor: TwoFactorService

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.on(AccountRoutes.API.register, use: register)
        router.on(AccountRoutes.API.confirmRegistration, use: confirmRegistration)
        router.on(AccountRoutes.API.createToken, use: createToken)
        router.on(AccountRoutes.API.revokeToken, use: revokeToken)
        router.on(AccountRoutes.API.me, use: me)
        router.on(AccountRoutes.API.updateProfile, use: updateProfile)
        router.on(AccountRoutes.API.addAffiliation, use: addAffiliation)
        router.on(AccountRoutes.API.removeAffiliation, use: removeAffiliation)
        router.on(AccountRoutes.API.sessions, use: sessions)
        router.on(AccountRoutes.API.revokeSession, use: revokeSession)
        router.on(AccountRoutes.API.changePassword, use: changePassword)
        router.on(AccountRoutes.API.requestPasswordReset, use: requestPasswordReset)
        router.on(AccountRoutes.API.beginTOTP, use: beginTOTP)
        router.on(AccountRoutes.API.confirmTOTP, use: confirmTOTP)
        router.on(AccountRoutes.API.disableTOTP, use: disableTOTP)
        router.on(AccountRoutes.API.confirmPasswordReset, use: confirmPasswordReset)
    }

    struct RegisterRequest: APIInput {
        var email: String
        var password: String
        var name: String
        var handle: String
        var invitation: String?
    }

    /// 201 with the member and a token; with registration `confirm` (and no invitation), 202
    /// "check your email" whether or not the address already has an account.
    @Sendable func register(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await JSONBody.decode(RegisterRequest.self, from: request, context: context)
        let result = try await accounts.signUp(
            RegistrationInput(
                email: input.email,
                password: input.password,
                name: input.name,
                handle: input.handle,
                invitation: input.invitation
            ),
            clientAddress: context.remoteAddress
        )
        switch result {
        case .registered(let member):
            return try await registered(member).response(from: request, context: context)
        case .confirmationSent:
            return try EditedResponse(status: .accepted, response: SignUpPendingDTO()).response(from: request, context: context)
        }
    }

    struct ConfirmRegistrationRequest: APIInput {
        var token: String
    }

    /// The token from the confirmation email: the member is created, with a token to go on with.
    @Sendable func confirmRegistration(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<AuthDTO> {
        let input = try await JSONBody.decode(ConfirmRegistrationRequest.self, from: request, context: context)
        return try await registered(try await accounts.confirmRegistration(token: input.token))
    }

    private func registered(_ member: Member) async throws -> EditedResponse<AuthDTO> {
        let token = try await accounts.issueToken(for: member, name: "registration")
        return EditedResponse(
            status: .created,
            headers: [.location: "/api/v1/members/\(member.handle)"],
            response: AuthDTO(member: MemberDTO(member), token: token.value)
        )
    }

    struct TokenRequest: APIInput {
        var email: String
        var password: String
        var name: String?
        var expiresInDays: Int?
        /// A code from the authenticator app, or a recovery code, when two-factor sign-in is on.
        var totp: String?
    }

    @Sendable func createToken(_ request: Request, context: AppRequestContext) async throws -> TokenDTO {
        let input = try await JSONBody.decode(TokenRequest.self, from: request, context: context)
        let member = try await accounts.signIn(email: input.email, password: input.password, clientAddress: context.remoteAddress)
        if try await twoFactor.isEnabled(member) {
            guard let code = input.totp, !code.isEmpty else { throw SecondFactorRequired() }
            try await twoFactor.verify(code, for: member)
        }
        let token = try await accounts.issueToken(for: member, name: input.name ?? "api", expiresInDays: input.expiresInDays)
        return TokenDTO(token: token.value, member: MemberDTO(member))
    }

    @Sendable func revokeToken(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        _ = try context.requireMember()
        if let header = request.headers[.authorization] {
            try await accounts.revokeToken(String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        }
        return .noContent
    }

    /// The caller's browser sessions and API tokens (never their secrets), each revocable.
    @Sendable func sessions(_ request: Request, context: AppRequestContext) async throws -> ListDTO<CredentialDTO> {
        let member = try context.requireMember()
        let items = try await accounts.credentials(of: member, current: context.bearerToken)
        return ListDTO(items: items.map(CredentialDTO.init), next: nil)
    }

    @Sendable func revokeSession(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let member = try context.requireMember()
        try await accounts.revoke(credential: context.parameters.get("id") ?? "", of: member)
        return .noContent
    }

    struct PasswordRequest: APIInput {
        var currentPassword: String
        var newPassword: String
    }

    /// Every other session and token ends; the token this came with keeps working.
    @Sendable func changePassword(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let member = try context.requireMember()
        let input = try await JSONBody.decode(PasswordRequest.self, from: request, context: context)
        try await accounts.changePassword(of: member, current: input.currentPassword, new: input.newPassword, keeping: context.bearerToken)
        return .noContent
    }

    struct ResetRequest: APIInput {
        var email: String
    }

    /// 202 whatever the address: the answer never tells whether it has an account.
    @Sendable func requestPasswordReset(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let input = try await JSONBody.decode(ResetRequest.self, from: request, context: context)
        try await accounts.requestPasswordReset(email: input.email, clientAddress: context.remoteAddress)
        return .accepted
    }

    struct ResetConfirmation: APIInput {
        var token: String
        var password: String
    }

    @Sendable func confirmPasswordReset(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let input = try await JSONBody.decode(ResetConfirmation.self, from: request, context: context)
        try await accounts.completePasswordReset(token: input.token, password: input.password)
        return .noContent
    }

    @Sendable func beginTOTP(_ request: Request, context: AppRequestContext) async throws -> TOTPSetupDTO {
        let member = try context.requireMember()
        let setup = try await twoFactor.begin(for: member)
        return TOTPSetupDTO(secret: setup.secret, otpauthUri: setup.uri)
    }

    struct CodeRequest: APIInput {
        var code: String
    }

    @Sendable func confirmTOTP(_ request: Request, context: AppRequestContext) async throws -> RecoveryCodesDTO {
        let member = try context.requireMember()
        let input = try await JSONBody.decode(CodeRequest.self, from: request, context: context)
        return RecoveryCodesDTO(recoveryCodes: try await twoFactor.confirm(input.code, for: member))
    }

    struct PasswordOnly: APIInput {
        var password: String
    }

    @Sendable func disableTOTP(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let member = try context.requireMember()
        let input = try await JSONBody.decode(PasswordOnly.self, from: request, context: context)
        try await twoFactor.disable(for: member, password: input.password)
        return .noContent
    }

    @Sendable func me(_ request: Request, context: AppRequestContext) async throws -> MeDTO {
        let member = try context.requireMember()
        return MeDTO(id: member.id.description, email: member.email.rawValue, profile: ProfileDTO(try await profiles.own(member)))
    }

    struct ProfileRequest: APIInput {
        var name: String?
        var headline: String?
        var bio: String?
        var location: String?
        var industry: String?
        var careerStage: String?
        var skills: [String]?
        var interests: [String]?
        var openTo: [String]?
        var website: String?
        var phone: String?
        var visibility: [String: String]?
    }

    @Sendable func updateProfile(_ request: Request, context: AppRequestContext) async throws -> ProfileDTO {
        let member = try context.requireMember()
        let input = try await JSONBody.decode(ProfileRequest.self, from: request, context: context)
        let changes = ProfileChanges(
            name: input.name,
            headline: input.headline,
            bio: input.bio,
            location: input.location,
            industry: input.industry,
            careerStage: input.careerStage,
            skills: input.skills,
            interests: input.interests,
            openTo: input.openTo,
            website: input.website,
            phone: input.phone,
            visibility: input.visibility
        )
        return ProfileDTO(try await profiles.update(changes, of: member))
    }

    struct AffiliationRequest: APIInput {
        var kind: String
        var organization: String
        var title: String?
        var cohort: String?
        var startYear: Int?
        var endYear: Int?
    }

    @Sendable func addAffiliation(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<AffiliationDTO> {
        let member = try context.requireMember()
        let input = try await JSONBody.decode(AffiliationRequest.self, from: request, context: context)
        let affiliation = try await profiles.addAffiliation(
            AffiliationInput(
                kind: input.kind,
                organization: input.organization,
                title: input.title,
                cohort: input.cohort,
                startYear: input.startYear,
                endYear: input.endYear
            ),
            to: member
        )
        return EditedResponse(status: .created, response: AffiliationDTO(affiliation))
    }

    @Sendable func removeAffiliation(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let member = try context.requireMember()
        try await profiles.removeAffiliation(id: context.parameters.get("id") ?? "", of: member)
        return .noContent
    }
}

struct MeDTO: APIOutput {
    var id: String
    var email: String
    var profile: ProfileDTO

    func encode(to encoder: any Encoder) throws {
        // The caller's full profile, with their id and email alongside its fields.
        try profile.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(email, forKey: .email)
    }

    enum CodingKeys: String, CodingKey {
        case id
        case email
    }
}

extension MeDTO {
    init(from decoder: any Decoder) throws {
        profile = try ProfileDTO(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        email = try container.decode(String.self, forKey: .email)
    }
}

struct CredentialDTO: Codable, Sendable {
    var id: String
    var kind: CredentialInfo.Kind
    var name: String
    var createdAt: Date
    var lastUsedAt: Date?
    var expiresAt: Date?
    var current: Bool

    init(_ info: CredentialInfo) {
        id = info.id
        kind = info.kind
        name = info.name
        createdAt = info.createdAt
        lastUsedAt = info.lastUsedAt
        expiresAt = info.expiresAt
        current = info.current
    }
}

struct TOTPSetupDTO: APIOutput {
    var secret: String
    var otpauthUri: String
}

struct RecoveryCodesDTO: APIOutput {
    var recoveryCodes: [String]
}

/// The password was right, and two-factor sign-in is on: a code is needed too (401 with
/// `totp_required: true`).
struct SecondFactorRequired: Error {}

// The domain's rules for each body's fields, for the OpenAPI document.
extension AccountAPIController.RegisterRequest: FieldRules {
    static let rules: [String: FieldRule] = ["email": .email, "password": .password, "name": .text(max: 100), "handle": .handle]
}

extension AccountAPIController.TokenRequest: FieldRules {
    static let rules: [String: FieldRule] = ["expires_in_days": .range(1...3650)]
}

extension AccountAPIController.PasswordRequest: FieldRules {
    static let rules: [String: FieldRule] = ["new_password": .password]
}

extension AccountAPIController.ResetConfirmation: FieldRules {
    static let rules: [String: FieldRule] = ["password": .password]
}

extension AccountAPIController.ProfileRequest: FieldRules {
    static let rules: [String: FieldRule] = [
        "career_stage": .oneOf(CareerStage.self, orEmpty: true), "open_to": .oneOf(OpenTo.self),
        "visibility": .keyed(by: ProfileSection.self, Visibility.self),
    ]
}

extension AccountAPIController.AffiliationRequest: FieldRules {
    static let rules: [String: FieldRule] = ["kind": .oneOf(AffiliationKind.self)]
}

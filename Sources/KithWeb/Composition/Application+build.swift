public import Foundation
public import Hummingbird
public import KithDomain
public import KithStorage
public import Logging
import NIOCore
public import Prometheus

/// How the app is run: where it listens, who may join, how cookies are sent.
public struct AppConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var registration: RegistrationMode
    /// bcrypt cost; 12 in production, 4 in tests.
    public var bcryptCost: UInt8
    /// Connection rules (request lifetime, weekly limit).
    public var connections: ConnectionService.Settings
    /// How often this instance looks for graph changes made by other instances.
    public var graphRefreshInterval: Duration
    /// The site is served over TLS (by Kith's reverse proxy): cookies are `Secure` and
    /// `__Host-` prefixed, and responses carry HSTS, whatever the proxy says.
    public var secureCookies: Bool
    /// Reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed.
    public var trustedProxies: [NetworkRange]
    /// The address members reach the site at, used in invitation links.
    public var publicURL: String
    public var logLevel: Logger.Level
    /// Moderators and admins act as members until they turn on two-factor sign-in.
    public var requireTwoFactorForStaff = false
    /// Seconds a connection may stay idle before it is closed.
    public var idleTimeoutSeconds: Int64 = 60
    /// New accounts an hour from one client address (0: no limit).
    public var registrationsPerHour: Int
    /// Where reminder emails go: `smtp://user:password@host:port`, `file:///directory` (one .eml
    /// file per message, for development), or nil to keep them in the outbox unsent.
    public var mailURL: String?

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        registration: RegistrationMode = .open,
        bcryptCost: UInt8 = 12,
        secureCookies: Bool = false,
        trustedProxies: [NetworkRange] = [],
        publicURL: String? = nil,
        logLevel: Logger.Level = .info,
        connections: ConnectionService.Settings = .init(),
        graphRefreshInterval: Duration = .milliseconds(250),
        mailURL: String? = nil,
        registrationsPerHour: Int = 10
    ) {
        self.registrationsPerHour = registrationsPerHour
        self.mailURL = mailURL
        self.connections = connections
        self.graphRefreshInterval = graphRefreshInterval
        self.host = host
        self.port = port
        self.registration = registration
        self.bcryptCost = bcryptCost
        self.secureCookies = secureCookies
        self.trustedProxies = trustedProxies
        self.publicURL = publicURL ?? "http://\(host):\(port)"
        self.logLevel = logLevel
    }
}

/// The domain services wired to one store. Built once per process; the CLI uses it too.
public struct Services: Sendable {
    public let accounts: AccountService
    public let twoFactor: TwoFactorService
    public let profiles: ProfileService
    public let directory: DirectoryService
    public let blocks: BlockService
    public let exports: ExportService
    public let graph: NetworkGraph
    public let connections: ConnectionService
    public let relationships: RelationshipService
    public let suggestions: SuggestionService
    public let jobs: JobRunner
    public let contacts: ContactService
    public let reminders: ReminderService
    public let events: EventService
    public let eventNetworking: EventNetworking
    /// The store's health for `/metrics` (SQLite's write-ahead log and checkpoints).
    let storeHealth: @Sendable () -> StoreDiagnostics

    public init(
        store: any Store,
        registration: RegistrationMode = .open,
        registrationsPerHour: Int = 10,
        hasher: any PasswordHasher,
        connectionSettings: ConnectionService.Settings = .init(),
        mail: any MailTransport = DiscardingMailTransport(),
        publicURL: String = "http://127.0.0.1:8080",
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        storeHealth = { store.diagnostics() }
        let members = SQLMemberRepository(store: store)
        let profileRepository = SQLProfileRepository(store: store)
        let blockRepository = SQLBlockRepository(store: store)
        let credentials = SQLCredentialRepository(store: store)
        let connectionRepository = SQLConnectionRepository(store: store)
        let attempts = SQLAttemptRepository(store: store)
        graph = NetworkGraph(feed: SQLGraphFeed(store: store))
        let connections = GraphConnectionLookup(graph: graph)
        accounts = AccountService(
            members: members,
            credentials: credentials,
            invitations: SQLInvitationRepository(store: store),
            attempts: attempts,
            resets: SQLPasswordResetRepository(store: store),
            pendingRegistrations: SQLPendingRegistrationRepository(store: store),
            publicURL: publicURL,
            hasher: hasher,
            settings: .init(
                registration: registration,
                registrationPerAddress: AccountService.Settings.registrations(perHour: registrationsPerHour)
            ),
            now: now
        )
        twoFactor = TwoFactorService(
            members: members,
            repository: SQLTwoFactorRepository(store: store),
            attempts: attempts,
            hasher: hasher,
            now: now
        )
        profiles = ProfileService(
            members: members,
            profiles: profileRepository,
            blocks: blockRepository,
            connections: connections,
            now: now
        )
        directory = DirectoryService(directory: SQLMemberDirectory(store: store), connections: connections)
        blocks = BlockService(members: members, blocks: blockRepository, connections: connectionRepository, graph: graph, now: now)
        self.connections = ConnectionService(
            members: members,
            profiles: profileRepository,
            connections: connectionRepository,
            blocks: blockRepository,
            graph: graph,
            settings: connectionSettings,
            now: now
        )
        relationships = RelationshipService(members: members, profiles: profileRepository, blocks: blockRepository, graph: graph)
        suggestions = SuggestionService(
            profiles: profileRepository,
            blocks: blockRepository,
            requests: connectionRepository,
            graph: graph,
            now: now
        )
        jobs = JobRunner(leases: SQLJobLeaseRepository(store: store), now: now)
        let contactRepository = SQLContactRepository(store: store)
        exports = ExportService(
            members: members,
            profiles: profileRepository,
            blocks: blockRepository,
            credentials: credentials,
            contacts: contactRepository,
            now: now
        )
        contacts = ContactService(
            contacts: contactRepository,
            members: members,
            profiles: profiles,
            blocks: blockRepository,
            graph: graph,
            now: now
        )
        let reminderRepository = SQLReminderRepository(store: store, publicURL: publicURL)
        reminders = ReminderService(
            reminders: reminderRepository,
            notifications: reminderRepository,
            transport: mail,
            publicURL: publicURL,
            now: now
        )
        let eventRepository = SQLEventRepository(store: store, publicURL: publicURL)
        events = EventService(
            events: eventRepository,
            members: members,
            profiles: profileRepository,
            blocks: blockRepository,
            attempts: attempts,
            notifier: reminderRepository,
            now: now
        )
        eventNetworking = EventNetworking(
            events: events,
            repository: eventRepository,
            relationships: relationships,
            profiles: profiles,
            contacts: contacts,
            graph: graph,
            connections: connectionRepository,
            profileRepository: profileRepository,
            blocks: blockRepository,
            now: now
        )
    }
}

/// Builds the whole app from configuration and a store. `kith serve` and the tests both call
/// this, so tests exercise the same router, middleware and wiring as production.
public func buildApplication(
    configuration: AppConfiguration,
    store: any Store,
    registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    now: @escaping @Sendable () -> Date = { Date() },
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "kith")
    logger.logLevel = configuration.logLevel
    try await Migrator.migrate(store)
    let services = Services(
        store: store,
        registration: configuration.registration,
        registrationsPerHour: configuration.registrationsPerHour,
        hasher: BcryptPasswordHasher(cost: configuration.bcryptCost),
        connectionSettings: configuration.connections,
        mail: try MailTransports.make(configuration.mailURL),
        publicURL: configuration.publicURL,
        now: now
    )
    try await services.graph.rebuild()
    let csrf = CSRFCookie(secret: try await InstanceMarks(store: store).secret(named: "csrf"))
    let router = buildRouter(services: services, configuration: configuration, registry: registry, csrfCookies: csrf)
    return Application(
        router: router,
        // A connection that sends or reads nothing for a minute is closed, so idle or trickling
        // clients cannot hold connections (and their memory) open indefinitely.
        server: .http1(
            configuration: .init(additionalChannelHandlers: [HangUpHandler()], idleTimeout: .seconds(configuration.idleTimeoutSeconds))
        ),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Kith"),
        services: [
            GraphRefresher(graph: services.graph, interval: configuration.graphRefreshInterval, logger: logger),
            BackgroundJobs(services: services, logger: logger),
        ],
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
}

public func buildRouter(
    services: Services,
    configuration: AppConfiguration,
    registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    csrfCookies: CSRFCookie = .ephemeral()
) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.addMiddleware {
        RequestLogMiddleware(metrics: HTTPMetrics(registry: registry))
        ClientOriginMiddleware(trustedProxies: configuration.trustedProxies, configuredTLS: configuration.secureCookies)
        BodyDrainMiddleware()
        CancelOnDisconnectMiddleware()
        SecurityHeadersMiddleware()
        ErrorMiddleware()
        CanonicalPathMiddleware()
    }
    // Public routes: no credential is read.
    let open = router.group()
    open.on(OpenRoutes.health) { _, _ in ["status": "ok"] }
    open.on(OpenRoutes.metrics) { _, _ in
        StoreMetrics.record(services.storeHealth(), in: registry)
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: registry.emitToString())))
    }
    let openAPI = OpenAPIDocument.json(serverURL: configuration.publicURL)
    open.on(OpenRoutes.openAPI) { _, _ in
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: openAPI)))
    }
    // The JSON API: bearer tokens only, JSON bodies only. Which credential a request may use is
    // decided by the group its route was added to, never by how the path was written.
    let staff = StaffTwoFactorPolicy(required: configuration.requireTwoFactorForStaff, twoFactor: services.twoFactor)
    let api = router.group()
        .add(middleware: BearerAuthentication(accounts: services.accounts, staff: staff))
        .add(middleware: JSONWrites())
    // Web pages: the session cookie only.
    let pages = router.group()
        .add(middleware: SessionAuthentication(accounts: services.accounts, csrfCookies: csrfCookies, staff: staff))

    AccountAPIController(accounts: services.accounts, profiles: services.profiles, twoFactor: services.twoFactor).addRoutes(to: api)
    MembersAPIController(profiles: services.profiles, directory: services.directory, blocks: services.blocks).addRoutes(to: api)
    ConnectionsAPIController(services: services).addRoutes(to: api)
    ContactsAPIController(services: services).addRoutes(to: api)
    EventsAPIController(services: services, publicURL: configuration.publicURL).addRoutes(to: api)

    AccountPagesController(accounts: services.accounts, twoFactor: services.twoFactor, publicURL: configuration.publicURL)
        .addRoutes(to: pages)
    ProfilePagesController(
        accounts: services.accounts,
        profiles: services.profiles,
        blocks: services.blocks,
        relationships: services.relationships,
        contacts: services.contacts
    )
    .addRoutes(to: pages)
    DirectoryPagesController(directory: services.directory).addRoutes(to: pages)
    NetworkPagesController(services: services).addRoutes(to: pages)
    ContactPagesController(services: services).addRoutes(to: pages)
    EventPagesController(services: services, publicURL: configuration.publicURL).addRoutes(to: pages)
    return router
}

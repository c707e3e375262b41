public import Foundation
public import Hummingbird
public import KithDomain
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
    /// Seconds between runs of the weekly-plan email job (each run sends only to members whose
    /// slot has come and whose week's email is not recorded).
    public var weeklyPlanEverySeconds = 600
    /// New accounts an hour from one client address (0: no limit).
    public var registrationsPerHour: Int
    /// Where reminder emails go: `smtp://user:password@host:port`, `file:///directory` (one .eml
    /// file per message, for development), or nil to keep them in the outbox unsent.
    public var mailURL: String?
    /// Where this instance keeps its word index between runs (`MemberWordSearch.start`), or nil
    /// to build it from the database at every start.
    public var wordIndexFile: URL?
    /// How often a changed word index is written to `wordIndexFile` (and at shutdown).
    public var wordIndexSaveInterval: Duration = .seconds(600)

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
    public let messages: MessageService
    public let notifications: NotificationService
    public let plans: PlanService
    public let introductions: IntroductionService
    public let asks: HelpAskService
    public let looking: LookingService
    public let appPasswords: AppPasswordService
    public let addressBook: AddressBook
    public let calendar: PersonalCalendar
    /// The store's health for `/metrics` (SQLite's write-ahead log and checkpoints).
    public let storeHealth: @Sendable () -> [HealthReading]

    /// The wiring (KithApp) builds each service on a store and hands them over here.
    public init(
        accounts: AccountService,
        twoFactor: TwoFactorService,
        profiles: ProfileService,
        directory: DirectoryService,
        blocks: BlockService,
        exports: ExportService,
        graph: NetworkGraph,
        connections: ConnectionService,
        relationships: RelationshipService,
        suggestions: SuggestionService,
        jobs: JobRunner,
        contacts: ContactService,
        reminders: ReminderService,
        events: EventService,
        eventNetworking: EventNetworking,
        messages: MessageService,
        notifications: NotificationService,
        plans: PlanService,
        introductions: IntroductionService,
        asks: HelpAskService,
        looking: LookingService,
        appPasswords: AppPasswordService,
        addressBook: AddressBook,
        calendar: PersonalCalendar,
        storeHealth: @escaping @Sendable () -> [HealthReading]
    ) {
        self.accounts = accounts
        self.twoFactor = twoFactor
        self.profiles = profiles
        self.directory = directory
        self.blocks = blocks
        self.exports = exports
        self.graph = graph
        self.connections = connections
        self.relationships = relationships
        self.suggestions = suggestions
        self.jobs = jobs
        self.contacts = contacts
        self.reminders = reminders
        self.events = events
        self.eventNetworking = eventNetworking
        self.messages = messages
        self.notifications = notifications
        self.plans = plans
        self.introductions = introductions
        self.asks = asks
        self.looking = looking
        self.appPasswords = appPasswords
        self.addressBook = addressBook
        self.calendar = calendar
        self.storeHealth = storeHealth
    }
}

public func buildRouter(
    services: Services,
    configuration: AppConfiguration,
    registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    csrfCookies: CSRFCookie = .ephemeral()
) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.addMiddleware {
        WorkLaneMiddleware()
        RequestLogMiddleware(metrics: HTTPMetrics(registry: registry))
        ClientOriginMiddleware(trustedProxies: configuration.trustedProxies, configuredTLS: configuration.secureCookies)
        BodyDrainMiddleware()
        CancelOnDisconnectMiddleware()
        SecurityHeadersMiddleware()
        ErrorMiddleware()
        CanonicalPathMiddleware()
        RequestScopeMiddleware()
    }
    // Public routes: no credential is read.
    let open = router.group()
    open.on(OpenRoutes.health) { _, _ in HealthDTO() }
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
        .add(
            middleware: SessionAuthentication(
                accounts: services.accounts,
                csrfCookies: csrfCookies,
                staff: staff,
                messages: services.messages
            )
        )

    // CardDAV and CalDAV: HTTP Basic with an app password only.
    let dav = router.group()
        .add(middleware: DAVFailures())
        .add(middleware: DAVAuthentication(appPasswords: services.appPasswords))
    DAVController(services: services, publicURL: configuration.publicURL).addRoutes(dav: dav, open: open)

    AccountAPIController(accounts: services.accounts, profiles: services.profiles, twoFactor: services.twoFactor).addRoutes(to: api)
    MembersAPIController(profiles: services.profiles, directory: services.directory, blocks: services.blocks).addRoutes(to: api)
    ConnectionsAPIController(services: services).addRoutes(to: api)
    ContactsAPIController(services: services).addRoutes(to: api)
    EventsAPIController(services: services, publicURL: configuration.publicURL).addRoutes(to: api)
    MessagesAPIController(services: services).addRoutes(to: api)
    NotificationsAPIController(services: services).addRoutes(to: api)
    PlanAPIController(services: services).addRoutes(to: api)
    IntroductionsAPIController(services: services).addRoutes(to: api)
    AsksAPIController(services: services).addRoutes(to: api)
    LookingAPIController(services: services).addRoutes(to: api)
    AppPasswordsAPIController(services: services, publicURL: configuration.publicURL).addRoutes(to: api)

    AccountPagesController(accounts: services.accounts, twoFactor: services.twoFactor, publicURL: configuration.publicURL)
        .addRoutes(to: pages)
    ProfilePagesController(
        accounts: services.accounts,
        profiles: services.profiles,
        blocks: services.blocks,
        relationships: services.relationships,
        contacts: services.contacts,
        services: services
    )
    .addRoutes(to: pages)
    DirectoryPagesController(directory: services.directory).addRoutes(to: pages)
    NetworkPagesController(services: services).addRoutes(to: pages)
    ContactPagesController(services: services).addRoutes(to: pages)
    EventPagesController(services: services, publicURL: configuration.publicURL).addRoutes(to: pages)
    MessagePagesController(services: services).addRoutes(to: pages)
    NotificationPagesController(services: services).addRoutes(to: pages)
    PlanPagesController(services: services).addRoutes(to: pages)
    IntroductionPagesController(services: services).addRoutes(to: pages)
    AskPagesController(services: services).addRoutes(to: pages)
    LookingPagesController(services: services).addRoutes(to: pages)
    AppPasswordPagesController(services: services, publicURL: configuration.publicURL).addRoutes(to: pages)
    return router
}

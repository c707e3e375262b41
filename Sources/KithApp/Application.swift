public import Foundation
public import Hummingbird
import KithDomain
public import KithStorage
public import KithWeb
import Logging
public import Prometheus

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
    // The graph and the word index are built at once: each spends much of its time waiting on
    // the database (a million members on PostgreSQL: see docs/BENCHMARKS.md).
    let started = ContinuousClock.now
    async let graph: Duration = {
        try await services.graph.rebuild()
        return ContinuousClock.now - started
    }()
    async let words: (MemberWordSearch.StartUp, Duration) = {
        let how = try await store.wordSearch.start(store, keptIn: configuration.wordIndexFile)
        return (how, ContinuousClock.now - started)
    }()
    let (graphBuilt, (wordsHow, wordsReady)) = try await (graph, words)
    logger.info("Graph built in \(graphBuilt), word index ready in \(wordsReady) (at once): \(wordsHow)")
    let csrf = CSRFCookie(secret: try await InstanceMarks(store: store).secret(named: "csrf"))
    let router = buildRouter(services: services, configuration: configuration, registry: registry, csrfCookies: csrf)
    return Application(
        router: router,
        // A connection that sends or reads nothing for a minute is closed, so idle or trickling
        // clients cannot hold connections (and their memory) open indefinitely.
        server: KithHTTPServer.http1(idleTimeoutSeconds: configuration.idleTimeoutSeconds),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Kith"),
        services: [
            GraphRefresher(graph: services.graph, interval: configuration.graphRefreshInterval, logger: logger),
            BackgroundJobs(services: services, logger: logger, weeklyPlanEvery: configuration.weeklyPlanEverySeconds),
            LiveMessages(messages: services.messages, interval: .milliseconds(250), logger: logger),
            MemberCardsWarmer(store: store, logger: logger),
            WordIndexRefresher(
                store: store,
                interval: configuration.graphRefreshInterval,
                file: configuration.wordIndexFile,
                saveInterval: configuration.wordIndexSaveInterval,
                logger: logger
            ),
        ],
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
}

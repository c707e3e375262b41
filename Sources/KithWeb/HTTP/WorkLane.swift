import Foundation
import Hummingbird
import KithDomain
import Synchronization

/// Threads of their own, at a lower scheduling priority, for the requests that rank or walk the
/// community (word search, browse, suggestions, paths) while they give way to other requests.
/// Such a request runs here from its first middleware to its last byte encoded
/// (`WorkLaneMiddleware` makes this executor its task's preference; what it awaits elsewhere — a
/// SQLite connection's thread — runs there and comes back). The threads live as long as the
/// process. While the server has cores to spare the lane's threads take as much as they need; when
/// it is saturated, the kernel serves the default threads first (a nice value of 10 weighs about a
/// tenth of 0), so opening a profile, sending a message or signing in does not queue behind a
/// crowd of searches.
final class WorkLane: TaskExecutor, @unchecked Sendable {
    /// The lane for ranking and walking, one thread per core at nice 10.
    static let ranking = WorkLane(name: "kith-ranking", threads: ProcessInfo.processInfo.activeProcessorCount, nice: 10)

    // Guarded by `condition`.
    private var jobs: [UnownedJob] = []
    private var head = 0
    private let condition = NSCondition()
    /// Each thread's nice value once it runs (the kernel may refuse one; never lower than the
    /// process's, which raising a nice value cannot be).
    private let niceness = Atomic<Int32>(0)

    init(name: String, threads: Int, nice: Int32) {
        for index in 0..<max(1, threads) {
            let thread = Thread { [self] in
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice)
                niceness.store(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0), ordering: .relaxed)
                serve()
            }
            thread.name = "\(name)-\(index)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// The nice value the lane's threads run at (0 until the first has started).
    var nice: Int32 { niceness.load(ordering: .relaxed) }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func serve() {
        let executor = asUnownedTaskExecutor()
        while true {
            condition.lock()
            while head == jobs.count { condition.wait() }
            let job = jobs[head]
            head += 1
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 1024 && head * 2 >= jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            condition.unlock()
            job.runSynchronously(on: executor)
        }
    }
}

/// Runs each request whose route is in the ranking lane on `WorkLane.ranking`, from here to its
/// response — the credential check, the handler and the encoding — whenever a foreground request
/// is in flight beside it; with none, there is nothing to give way to, and it runs where it is
/// (the hop to the lane's threads costs a ranking request ~10–20% of its throughput alone). First
/// in the chain, so it matches the raw method and path against the route table's ranking routes
/// itself (the router has not chosen a route yet); a test checks it picks out exactly the routes
/// marked `.ranking`. `RequestLane.current` is `.ranking` while a request gives way (for the
/// SQLite store's readers).
struct WorkLaneMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    /// The ranking routes' methods and path templates, split into segments (`nil`: a parameter).
    private let ranking: [(method: HTTPRequest.Method, segments: [Substring?])]
    private let executor: WorkLane
    /// Foreground requests between this middleware and their response's head (a stream's body is
    /// written after, so an open live-messages stream does not count).
    private let foreground = ForegroundCount()

    final class ForegroundCount: Sendable {
        let inFlight = Atomic<Int>(0)
    }

    init(routes: [AnyEndpoint] = RouteCatalog.all, lane: WorkLane = .ranking) {
        ranking = routes.filter { $0.lane == .ranking }.map { route in
            (route.method, route.template.split(separator: "/").map { $0.hasPrefix(":") ? nil : $0 })
        }
        self.executor = lane
    }

    /// The lane of a request for `method` and `path` (without its query).
    func lane(_ method: HTTPRequest.Method, _ path: String) -> RequestLane {
        let segments = path.split(separator: "/")
        let isRanking = ranking.contains { route in
            route.method == method && route.segments.count == segments.count
                && zip(route.segments, segments).allSatisfy { template, segment in template.map { $0 == segment } ?? true }
        }
        return isRanking ? .ranking : .foreground
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard lane(request.method, request.uri.path) == .ranking else {
            foreground.inFlight.add(1, ordering: .relaxed)
            defer { foreground.inFlight.subtract(1, ordering: .relaxed) }
            return try await next(request, context)
        }
        guard foreground.inFlight.load(ordering: .relaxed) > 0 else { return try await next(request, context) }
        return try await RequestLane.$current.withValue(.ranking) {
            try await withTaskExecutorPreference(executor) { try await next(request, context) }
        }
    }
}

/// Background work that takes the cores requests leave idle — the weekly email run — runs on the
/// ranking lane's low-priority threads as a giving-way ranking request does, child tasks included,
/// with `RequestLane.current` `.ranking` (so the SQLite store keeps its last reader for requests).
public enum BackgroundWork {
    public static func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await run(on: .ranking, body)
    }

    static func run<T: Sendable>(on lane: WorkLane, _ body: @Sendable () async throws -> T) async throws -> T {
        try await RequestLane.$current.withValue(.ranking) {
            try await withTaskExecutorPreference(lane) { try await body() }
        }
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import KithDomain
import Synchronization
import Testing

@testable import KithWeb

#if canImport(Glibc)
import Glibc
#endif

/// The requests that rank or walk the community run on the ranking lane's threads, at a lower
/// priority, from the first middleware to the response; every other request runs where it did.
@Suite struct WorkLaneTests {
    static func samplePath(_ template: String) -> String {
        "/" + template.split(separator: "/").map { $0.hasPrefix(":") ? "x\($0.dropFirst())1" : String($0) }.joined(separator: "/")
    }

    @Test func theMiddlewarePicksOutExactlyTheRoutesMarkedRanking() {
        let middleware = WorkLaneMiddleware()
        var ranking: Set<String> = []
        for route in RouteCatalog.all {
            let lane = middleware.lane(route.method, Self.samplePath(route.template))
            #expect(lane == route.lane, "\(route.key) is \(route.lane) in its route table, the middleware says \(lane)")
            if route.lane == .ranking { ranking.insert(route.key) }
        }
        // The lists that rank or walk; one-thing routes beside them stay in the foreground.
        for key in [
            "GET /api/v1/members", "GET /directory", "GET /api/v1/suggestions", "GET /suggestions",
            "GET /api/v1/members/:handle/relationship", "GET /api/v1/events/:id/people-to-meet", "GET /events/:id/people",
        ] {
            #expect(ranking.contains(key), "\(key) should rank on the ranking lane")
        }
        for (method, path) in [(HTTPRequest.Method.get, "/api/v1/members/ada"), (.get, "/in/ada"), (.post, "/api/v1/members"), (.get, "/")]
        {
            #expect(middleware.lane(method, path) == .foreground, "\(method) \(path)")
        }
        #expect(ranking.count == 7)
    }

    /// When a held request has started, and when it may finish.
    final class Gate: Sendable {
        let started = Atomic<Bool>(false)
        let released = Atomic<Bool>(false)
    }

    @Test func rankingRequestsRunOnTheLanesThreadsWhileForegroundRequestsAreInFlight() async throws {
        let lane = WorkLane(name: "kith-test-lane", threads: 2, nice: 7)
        let rank = Endpoint<NoParameters>(.get, "/rank", .member, "A ranking route", lane: .ranking)
        let one = Endpoint<NoParameters>(.get, "/one", .member, "A one-thing route")
        let slow = Endpoint<NoParameters>(.get, "/slow", .member, "A one-thing route that takes a while")
        let slowGate = Gate()
        let router = Router(context: AppRequestContext.self)
        router.addMiddleware { WorkLaneMiddleware(routes: [rank.erased, one.erased, slow.erased], lane: lane) }
        // Where the handler runs before and after an await that leaves the thread.
        @Sendable func whereItRuns(_ request: Request, _ context: AppRequestContext) async throws -> String {
            let before = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
            try await Task.sleep(for: .milliseconds(2))
            let after = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
            return "\(before) \(after) \(RequestLane.current)"
        }
        router.group().on(rank, use: whereItRuns).on(one, use: whereItRuns)
            .on(slow) { _, _ in
                slowGate.started.store(true, ordering: .relaxed)
                while !slowGate.released.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(5)) }
                return "slow"
            }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        let processNice = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        try await app.test(.live) { client in
            // Nothing in the foreground: the ranking request runs where it is, as any other.
            try await client.execute(uri: "/rank", method: .get) { response in
                #expect(String(buffer: response.body) == "\(processNice) \(processNice) foreground")
            }
            // With a foreground request in flight (on a connection of its own), it runs on the
            // lane's threads.
            let port = try #require(client.port)
            let slowConnection = try LoopbackSocket.send("GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", port: port)
            let began = ContinuousClock.now
            while !slowGate.started.load(ordering: .relaxed) && ContinuousClock.now - began < .seconds(60) {
                try await Task.sleep(for: .milliseconds(5))
            }
            let started = slowGate.started.load(ordering: .relaxed)
            #expect(started)
            for _ in 0..<5 {
                try await client.execute(uri: "/rank", method: .get) { response in
                    #expect(String(buffer: response.body) == "\(lane.nice) \(lane.nice) ranking")
                }
                try await client.execute(uri: "/one", method: .get) { response in
                    #expect(String(buffer: response.body) == "\(processNice) \(processNice) foreground")
                }
            }
            slowGate.released.store(true, ordering: .relaxed)
            #expect(LoopbackSocket.readAll(slowConnection).hasSuffix("slow"))
            // Once it is answered, ranking runs in place again.
            try await client.execute(uri: "/rank", method: .get) { response in
                #expect(String(buffer: response.body) == "\(processNice) \(processNice) foreground")
            }
        }
        // Raising a nice value is always allowed, so the lane is lower than the process.
        #expect(lane.nice == max(7, processNice))
    }

    /// Background work (the weekly email run) runs on the lane's low-priority threads, its child
    /// tasks too, and reads as ranking work does.
    @Test func backgroundWorkRunsOnTheLanesThreadsChildTasksIncluded() async throws {
        let lane = WorkLane(name: "kith-test-background", threads: 2, nice: 9)
        @Sendable func whereItRuns() async throws -> String {
            try await Task.sleep(for: .milliseconds(2))
            return "\(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)) \(RequestLane.current)"
        }
        let seen = try await BackgroundWork.run(on: lane) { () async throws -> [String] in
            async let child = whereItRuns()
            return [try await whereItRuns(), try await child]
        }
        let processNice = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        #expect(lane.nice == max(9, processNice))
        #expect(seen == ["\(lane.nice) ranking", "\(lane.nice) ranking"])
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import KithWeb

#if canImport(Glibc)
import Glibc
#endif

/// A client that hangs up stops the work of its request (issue #12: "cancel work when the client
/// goes away"), over a real socket on loopback.
@Suite struct CancelOnDisconnectTests {
    final class Seen: Sendable {
        let started = Atomic<Int>(0)
        let cancelled = Atomic<Int>(0)
        let finished = Atomic<Int>(0)
    }

    /// Sends a request on a fresh TCP connection and hangs up without reading the answer.
    static func sendAndHangUp(port: Int, path: String) throws {
        let fd = try LoopbackSocket.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", port: port)
        usleep(300_000)
        close(fd)
    }

    @Test func aRequestWhoseClientHangsUpIsCancelledAndOthersAreNot() async throws {
        let seen = Seen()
        let router = Router(context: AppRequestContext.self)
        router.addMiddleware { CancelOnDisconnectMiddleware() }
        router.get("/slow") { _, _ -> String in
            seen.started.add(1, ordering: .relaxed)
            do {
                try await Task.sleep(for: .seconds(20))
            } catch {
                seen.cancelled.add(1, ordering: .relaxed)
                throw error
            }
            seen.finished.add(1, ordering: .relaxed)
            return "done"
        }
        router.get("/quick") { _, _ in "quick" }
        let app = Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [HangUpHandler()])),
            configuration: .init(address: .hostname("127.0.0.1", port: 0))
        )
        try await app.test(.live) { client in
            let port = try #require(client.port)
            // Requests that are answered are not cancelled, on one kept-alive connection or several.
            for _ in 0..<3 {
                try await client.execute(uri: "/quick", method: .get) { response in #expect(response.status == .ok) }
            }
            let began = ContinuousClock.now
            try Self.sendAndHangUp(port: port, path: "/slow")
            while seen.cancelled.load(ordering: .relaxed) == 0 && ContinuousClock.now - began < .seconds(10) {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(seen.started.load(ordering: .relaxed) == 1)
            #expect(seen.cancelled.load(ordering: .relaxed) == 1, "the handler ran on after its client hung up")
            #expect(ContinuousClock.now - began < .seconds(10))
            try await client.execute(uri: "/quick", method: .get) { response in #expect(response.status == .ok) }
            #expect(seen.finished.load(ordering: .relaxed) == 0)
        }
    }

    /// The stopped work is answered as a hang-up (499, as nginx logs it), not as a server error.
    @Test func stoppedWorkIsNotAServerError() {
        let problem = Problem(CancellationError(), requestID: "r")
        #expect(problem.status == 499 && problem.requestId == nil)
    }
}

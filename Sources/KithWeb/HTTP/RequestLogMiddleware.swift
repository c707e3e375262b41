import Foundation
import Hummingbird
import Logging
import Prometheus

/// Logs one structured line per request with its id, and counts requests and latencies for
/// `/metrics`. The id is returned as `X-Request-Id` so a user can quote it in a bug report.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let metrics: HTTPMetrics

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        let start = ContinuousClock.now
        let requestID = context.id
        var response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        response.headers[.init("X-Request-Id")!] = requestID
        let status = response.status.code
        metrics.record(method: request.method.rawValue, status: status, duration: elapsed)
        let millis = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        context.logger.log(
            level: status >= 500 ? .error : .info,
            "request",
            metadata: [
                "method": .string(request.method.rawValue),
                // The route's template, never the raw path: a path can hold a secret (a calendar
                // feed's address), and the template groups the log by route.
                "route": .string(context.endpointPath ?? "unmatched"),
                "status": .stringConvertible(status),
                "ms": .string(String(format: "%.2f", millis)),
            ]
        )
        return response
    }
}

/// Prometheus metrics for HTTP traffic.
struct HTTPMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    private let duration: DurationHistogram

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        self.duration = registry.makeDurationHistogram(
            name: "kith_http_request_duration_seconds",
            buckets: [.milliseconds(1), .milliseconds(5), .milliseconds(20), .milliseconds(100), .milliseconds(500), .seconds(2)],
            help: "Time to answer an HTTP request."
        )
    }

    func record(method: String, status: Int, duration: Duration) {
        registry.makeCounter(
            name: "kith_http_requests_total",
            labels: [("method", method), ("status", String(status))],
            help: "HTTP requests answered, by method and status."
        ).increment()
        self.duration.record(duration)
    }
}

import Hummingbird

/// Routes that read no credential: health, metrics and the API's own description.
enum OpenRoutes {
    static let health = Endpoint<NoParameters>(
        .get,
        "/health",
        .everyone,
        "Liveness check",
        operation: APIOperation("health", .json("Healthy", HealthDTO.self))
    )
    static let metrics = Endpoint<NoParameters>(
        .get,
        "/metrics",
        .everyone,
        "Prometheus metrics",
        operation: APIOperation("metrics", .text("text/plain", "Prometheus text format"))
    )
    static let openAPI = Endpoint<NoParameters>(
        .get,
        "/api/openapi.json",
        .everyone,
        "This API's OpenAPI document",
        operation: APIOperation("openapi", Reply(status: 200, description: "The OpenAPI document", content: [.anyObject]))
    )

    static let all: [AnyEndpoint] = [health.erased, metrics.erased, openAPI.erased]
}

/// Every route of every capability. The router must serve exactly these (a test), the
/// authorisation matrix calls each as every kind of caller against its `access`, and the OpenAPI
/// document must describe each API route.
enum RouteCatalog {
    static let all: [AnyEndpoint] =
        OpenRoutes.all + AccountRoutes.all + ProfileRoutes.all + NetworkRoutes.all + ContactRoutes.all + EventRoutes.all
        + MessageRoutes.all + NotificationRoutes.all + PlanRoutes.all + IntroductionRoutes.all + AskRoutes.all + LookingRoutes.all
        + DAVRoutes.all

    static let byKey: [String: AnyEndpoint] = Dictionary(all.map { ($0.key, $0) }) { first, _ in first }
}

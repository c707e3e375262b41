import Prometheus

/// One figure about the store's health, as `/metrics` shows it (the wiring turns the store's own
/// diagnostics into these; KithWeb does not see the store).
public struct HealthReading: Sendable, Equatable {
    public var name: String
    public var help: String
    public var value: Double

    public init(name: String, help: String, value: Double) {
        self.name = name
        self.help = help
        self.value = value
    }
}

/// The store's health, read when `/metrics` is asked for.
enum StoreMetrics {
    static func record(_ readings: [HealthReading], in registry: PrometheusCollectorRegistry) {
        for reading in readings {
            registry.makeGauge(name: reading.name, help: reading.help).set(reading.value)
        }
    }
}

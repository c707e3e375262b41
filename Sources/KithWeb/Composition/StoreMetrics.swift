import KithStorage
import Prometheus

/// The store's health, read when `/metrics` is asked for.
enum StoreMetrics {
    static func record(_ health: StoreDiagnostics, in registry: PrometheusCollectorRegistry) {
        registry.makeGauge(name: "kith_store_wal_frames", help: "Frames in SQLite's write-ahead log at the last checkpoint.")
            .set(Double(health.walFrames))
        registry.makeGauge(name: "kith_store_checkpoint_failures", help: "SQLite checkpoints that failed since the server started.")
            .set(Double(health.checkpointFailures))
        registry.makeGauge(
            name: "kith_store_checkpoints_behind",
            help: "SQLite checkpoints in a row that could not copy the whole log (a minute of them is logged)."
        )
        .set(Double(health.checkpointsBehind))
    }
}

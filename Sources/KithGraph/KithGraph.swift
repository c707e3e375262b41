/// KithGraph: the compact in-memory social graph. The engine arrives with the connections
/// capability; this module has no dependencies so it can be benchmarked and tested on its own.
public enum KithGraph {
    public static let version = 0
}

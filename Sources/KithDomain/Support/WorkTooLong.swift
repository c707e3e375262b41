/// A query was stopped because it ran past the time one request may take (a statement timeout):
/// the request is answered 503 with Retry-After, and nothing is written.
public struct WorkTooLong: Error, Sendable, Equatable {
    public init() {}
}

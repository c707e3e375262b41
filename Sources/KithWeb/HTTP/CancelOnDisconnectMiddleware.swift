import Hummingbird
public import HummingbirdCore
import NIOCore
import Synchronization

/// When the client closes the connection while its request is being answered, the work stops:
/// the handler's task is cancelled, and a database read under way is interrupted (see
/// `SQLiteStore.read`) instead of running on to the 5-second limit for nobody. A search someone
/// typed over and over, or a script that gives up and retries, then costs only what it used.
///
/// One `ConnectionWatch` per connection holds the cancellation of the request it is serving;
/// `HangUpHandler` in the channel pipeline runs it when the client's side of the connection ends
/// (Hummingbird allows half-closed connections, so the channel itself stays open: like nginx, an
/// end of input while a request is being answered counts as the client having gone). The
/// handler's task is the connection's own (HTTP/1 answers one request at a time), which is
/// ending anyway.
struct CancelOnDisconnectMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        guard let watch = context.connection else { return try await next(request, context) }
        return try await withUnsafeCurrentTask { task in
            // Only ever used while this request runs: the watch forgets it before returning.
            nonisolated(unsafe) let current = task
            return try await watch.whileServing({ current?.cancel() }) { try await next(request, context) }
        }
    }
}

/// A connection's open or closed state and the cancellation of the request it is answering.
final class ConnectionWatch: Sendable {
    private struct State {
        var closed = false
        var cancel: (@Sendable () -> Void)?
    }
    private let state = Mutex(State())

    /// The watch of `channel`, made and hooked to its close the first time it is asked for.
    static func of(_ channel: any Channel) -> ConnectionWatch {
        let key = ObjectIdentifier(channel)
        let (watch, isNew) = registry.withLock { watches in
            if let known = watches[key] { return (known, false) }
            let made = ConnectionWatch()
            watches[key] = made
            return (made, true)
        }
        if isNew {
            channel.closeFuture.whenComplete { _ in
                _ = registry.withLock { $0.removeValue(forKey: key) }
                watch.closed()
            }
        }
        return watch
    }

    private static let registry = Mutex<[ObjectIdentifier: ConnectionWatch]>([:])

    func whileServing<T>(_ cancel: @escaping @Sendable () -> Void, _ body: () async throws -> T) async throws -> T {
        let alreadyClosed = state.withLock { state in
            state.cancel = cancel
            return state.closed
        }
        if alreadyClosed { cancel() }
        defer { state.withLock { $0.cancel = nil } }
        return try await body()
    }

    /// The client's side ended (or the whole connection did).
    func closed() {
        let cancel = state.withLock { state in
            state.closed = true
            return state.cancel
        }
        cancel?()
    }
}

/// Tells the connection's watch when the client hangs up: end of input (the client closed or
/// half-closed its side) or the connection closing.
final class HangUpHandler: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    /// Requests pass through untouched (read as whatever they are).
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .some(ChannelEvent.inputClosed) = event as? ChannelEvent { ConnectionWatch.of(context.channel).closed() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        ConnectionWatch.of(context.channel).closed()
        context.fireChannelInactive()
    }
}

/// The HTTP/1 server Kith runs: idle connections closed after `idleTimeoutSeconds`, and
/// `HangUpHandler` in every connection's pipeline.
public enum KithHTTPServer {
    public static func http1(idleTimeoutSeconds: Int64) -> HTTPServerBuilder {
        .http1(configuration: .init(additionalChannelHandlers: [HangUpHandler()], idleTimeout: .seconds(idleTimeoutSeconds)))
    }
}

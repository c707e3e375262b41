import Hummingbird
import NIOCore

/// After a request that asked to close the connection (`Connection: close`) is answered, reads
/// and discards what is left of its body — up to a bound, like nginx's lingering close.
///
/// Why: a client that sends a body without `Expect: 100-continue` writes all of it before it reads
/// the answer. When the handler refuses early (413 for a body over its limit, 401, 404) it stops
/// reading; Hummingbird then closes its side and waits for the client to close — while the
/// client, blocked on a full TCP window, waits for the server to read. Both wait until a timeout.
/// On a keep-alive connection Hummingbird itself reads the rest before the next request.
struct BodyDrainMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// How much of a refused body is read and thrown away before the connection is closed anyway.
    static let drainLimit = 64 * 1024 * 1024

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        let closes = request.headers[.connection]?.lowercased().contains("close") == true
        let hasBody = request.headers[.transferEncoding] != nil || (request.headers[.contentLength].flatMap { Int($0) } ?? 0) > 0
        guard closes && hasBody else { return try await next(request, context) }
        let cursor = BodyCursor(request.body.makeAsyncIterator())
        var request = request
        request.body = RequestBody(asyncSequence: SharedBody(cursor: cursor))
        do {
            let response = try await next(request, context)
            try? await cursor.drain(upTo: Self.drainLimit)
            return response
        } catch {
            try? await cursor.drain(upTo: Self.drainLimit)
            throw error
        }
    }
}

/// The one iterator over a request's body, handed first to the handler (as a sequence) and then
/// to the drain. Used by one task at a time: the handler's reads all finish before it returns,
/// and only then does the drain read.
final class BodyCursor: @unchecked Sendable {
    private var iterator: RequestBody.AsyncIterator
    private var finished = false

    init(_ iterator: RequestBody.AsyncIterator) { self.iterator = iterator }

    func next() async throws -> ByteBuffer? {
        if finished { return nil }
        let part = try await iterator.next()
        if part == nil { finished = true }
        return part
    }

    func drain(upTo limit: Int) async throws {
        var read = 0
        while read <= limit, let part = try await next() { read += part.readableBytes }
    }
}

struct SharedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let cursor: BodyCursor

    struct AsyncIterator: AsyncIteratorProtocol {
        let cursor: BodyCursor
        func next() async throws -> ByteBuffer? { try await cursor.next() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(cursor: cursor) }
}

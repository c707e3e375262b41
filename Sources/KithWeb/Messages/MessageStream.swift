import Foundation
import Hummingbird
import KithDomain
import NIOCore
import Plot
import ServiceLifecycle

/// `GET /messages/:id/live`: the open conversation page's new messages as Server-Sent Events.
/// Each event is one rendered message (`id:` its sequence, so a reconnecting browser resumes
/// after the last one it has), read as the member — a participant check on every read, so one
/// who is blocked or leaves stops receiving. A comment every 20 seconds keeps the connection
/// inside the server's idle timeout; the stream ends after `lifetime` (the browser reconnects),
/// when the client goes, or at shutdown. Pages work without it: it only saves a reload.
struct MessageStream {
    let services: Services
    var lifetime: Duration = .seconds(600)
    var heartbeat: Duration = .seconds(20)

    @Sendable func live(_ request: Request, context: AppRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let rawID = context.parameters.get("id") ?? ""
        let summary = try await services.messages.conversation(rawID, for: member)
        guard (request.headers[.accept] ?? "").contains("text/event-stream") else {
            throw HTTPError(.notAcceptable, message: "This address sends text/event-stream to a browser's EventSource.")
        }
        let resumeFrom =
            request.headers[.init("Last-Event-ID")!].flatMap { Int64($0) }
            ?? request.uri.queryParameters.get("after").flatMap { Int64($0) } ?? summary.conversation.lastSequence
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.init("X-Accel-Buffering")!] = "no"
        let services = services
        let lifetime = lifetime
        let heartbeat = heartbeat
        let conversation = summary.conversation.id
        return Response(
            status: .ok,
            headers: headers,
            body: ResponseBody { writer in
                let live = services.messages.live
                let (token, stream, continuation) = await live.listen(to: conversation)
                let beats = Task {
                    while !Task.isCancelled {
                        try await Task.sleep(for: heartbeat)
                        continuation.yield(-1)
                    }
                }
                let ends = ContinuousClock.now.advanced(by: lifetime)
                var last = resumeFrom
                do {
                    try await writer.write(ByteBuffer(string: "retry: 3000\n\n"))
                    // Anything that arrived between the page and this connection.
                    last = try await Self.send(after: last, conversation: rawID, member: member, services: services, to: &writer)
                    // The server waits for open requests when it stops: a stream ends at once.
                    try await withGracefulShutdownHandler {
                        for await wake in stream {
                            if ContinuousClock.now >= ends { break }
                            if wake < 0 {
                                try await writer.write(ByteBuffer(string: ": still here\n\n"))
                            } else if wake > last {
                                last = try await Self.send(
                                    after: last,
                                    conversation: rawID,
                                    member: member,
                                    services: services,
                                    to: &writer
                                )
                            }
                        }
                    } onGracefulShutdown: {
                        continuation.finish()
                    }
                } catch {
                    // The client went, or the member may no longer read this conversation.
                }
                beats.cancel()
                await live.stop(token, conversation: conversation)
                try? await writer.finish(nil)
            }
        )
    }

    /// Writes the messages after `after` as events, marks them read (the page is open), and
    /// returns the newest sequence written.
    static func send(
        after: Int64,
        conversation: String,
        member: Member,
        services: Services,
        to writer: inout any ResponseBodyWriter
    )
        async throws -> Int64
    {
        var last = after
        let page = try await services.messages.messages(in: conversation, for: member, after: String(after), limit: "100")
        for view in page.items {
            let html = ConversationPage.item(view, viewer: member.id).render()
            let data = html.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)\n" }.joined()
            try await writer.write(ByteBuffer(string: "id: \(view.message.sequence)\n\(data)\n"))
            last = view.message.sequence
        }
        if last > after { try await services.messages.markRead(conversation, by: member) }
        return last
    }
}

public import Foundation

/// This instance's open conversation pages, waiting for new messages. A message written through
/// this instance wakes them at once (`announce`); one written through another instance on the same
/// database wakes them when `MessageService.catchUp` sees the conversation's newest sequence move
/// (the background poller runs it a few times a second, and only for conversations someone here
/// is watching). A wake-up carries only the sequence: each listener then reads, as its member,
/// the messages after the last one it showed, so nothing is missed however wake-ups interleave.
public actor LiveConversations {
    private var listeners: [Conversation.ID: [UUID: AsyncStream<Int64>.Continuation]] = [:]
    private var seen: [Conversation.ID: Int64] = [:]
    private var closed = false

    public init() {}

    /// A stream of wake-ups for one conversation (the newest sequence), until `stop` or `closeAll`.
    public func listen(
        to conversation: Conversation.ID
    ) -> (token: UUID, stream: AsyncStream<Int64>, continuation: AsyncStream<Int64>.Continuation) {
        let (stream, continuation) = AsyncStream<Int64>.makeStream(bufferingPolicy: .bufferingNewest(4))
        let token = UUID()
        if closed {
            continuation.finish()
        } else {
            listeners[conversation, default: [:]][token] = continuation
        }
        return (token, stream, continuation)
    }

    public func stop(_ token: UUID, conversation: Conversation.ID) {
        listeners[conversation]?.removeValue(forKey: token)?.finish()
        if listeners[conversation]?.isEmpty == true {
            listeners.removeValue(forKey: conversation)
            seen.removeValue(forKey: conversation)
        }
    }

    public func announce(_ conversation: Conversation.ID, sequence: Int64) {
        if let known = seen[conversation], sequence <= known { return }
        seen[conversation] = sequence
        for continuation in listeners[conversation]?.values ?? [:].values { continuation.yield(sequence) }
    }

    /// The conversations someone here is watching.
    public var watched: [Conversation.ID] { Array(listeners.keys) }

    public var listenerCount: Int { listeners.values.reduce(0) { $0 + $1.count } }

    /// Ends every stream (graceful shutdown), and any opened later.
    public func closeAll() {
        closed = true
        for continuation in listeners.values.flatMap(\.values) { continuation.finish() }
        listeners.removeAll()
    }
}

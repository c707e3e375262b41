import Hummingbird
import KithDomain
import NIOCore
import Synchronization

/// A JSON answer already written, sent as it is. To the route table it answers with `Output`.
struct EncodedAnswer<Output: APIOutput>: ResponseGenerator, RepliesWith {
    let body: ByteBuffer

    static var repliedType: (any APIOutput.Type)? { Output.self }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        APIJSONEncoder.response(body)
    }
}

/// The last answer each member got from one route, kept written: asked again for an equal value
/// (a list the domain kept between asks, say), the route sends the same bytes without encoding
/// them again. A kept answer is only ever sent to the member it was written for, and only for a
/// value equal to the one it was written from, so it is exactly what encoding would give.
/// At most `capacity` members' answers (past it, all are dropped and kept again as asked).
final class AnswerMemo<Value: Equatable & Sendable, Output: APIOutput>: Sendable {
    private struct Kept: Sendable {
        var value: Value
        var body: ByteBuffer
    }

    private let kept = Mutex<[Member.ID: Kept]>([:])
    private let capacity: Int
    private let output: @Sendable (Value) -> Output

    init(capacity: Int = 2_048, output: @escaping @Sendable (Value) -> Output) {
        self.capacity = capacity
        self.output = output
    }

    func answer(_ value: Value, for member: Member.ID) throws -> EncodedAnswer<Output> {
        // Compared outside the lock (an array the domain kept compares by identity first).
        if let last = kept.withLock({ $0[member] }), last.value == value { return EncodedAnswer(body: last.body) }
        let body = ByteBuffer(bytes: try APIJSONEncoder().encode(output(value)))
        kept.withLock { kept in
            if kept.count >= capacity && kept[member] == nil { kept.removeAll(keepingCapacity: true) }
            kept[member] = Kept(value: value, body: body)
        }
        return EncodedAnswer(body: body)
    }
}

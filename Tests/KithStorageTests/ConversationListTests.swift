import Foundation
import KithDomain
import KithStorage
import KithTestSupport
import KithWeb
import Testing

/// The inbox and requests lists on SQLite and PostgreSQL: each box holds conversations in more than
/// one state (the inbox: active and left), read a page at a time through cursors. However small
/// the pages, they give every conversation of the box once, most recent first — the same order as
/// one page holding them all — and none from the other box.
@Suite struct ConversationListTests {
    @Test func pagesThroughEveryStateOfABoxInOrder() async throws {
        try await withMigratedStore { store async throws in
            let clock = TestClock()
            let services = testServices(store, clock: clock)
            let me = try await services.register("mia").member
            var others: [Member] = []
            for index in 0..<9 { others.append(try await services.register("other-\(index)").member) }
            // Direct conversations I start (active for me), groups I later leave (left), and
            // strangers writing to me first (requests, not in the inbox). Some at the same moment,
            // so the tie on time is broken by id across states too.
            var inbox: Set<String> = []
            var requests: Set<String> = []
            for (index, other) in others.enumerated() {
                if index % 3 != 2 { clock.advance(by: 60) }
                switch index % 3 {
                case 0:
                    let started = try await services.messages.start(to: [other.handle.rawValue], body: "hello \(index)", by: me)
                    inbox.insert(started.conversation.id.description)
                case 1:
                    let group = try await services.messages.start(
                        to: [other.handle.rawValue, others[(index + 1) % others.count].handle.rawValue],
                        body: "group \(index)",
                        by: me
                    )
                    clock.advance(by: 1)
                    try await services.messages.leave(group.conversation.id.description, by: me)
                    inbox.insert(group.conversation.id.description)
                default:
                    let request = try await services.messages.start(to: [me.handle.rawValue], body: "hi \(index)", by: other)
                    requests.insert(request.conversation.id.description)
                }
            }
            for (box, expected) in [("inbox", inbox), ("requests", requests)] {
                let whole = try await services.messages.conversations(box: box, of: me, after: nil, limit: "50")
                #expect(Set(whole.items.map(\.conversation.id.description)) == expected, "\(box)")
                for size in [1, 2, 4] {
                    var paged: [String] = []
                    var cursor: String?
                    repeat {
                        let page = try await services.messages.conversations(box: box, of: me, after: cursor, limit: String(size))
                        #expect(page.items.count <= size)
                        paged += page.items.map(\.conversation.id.description)
                        cursor = page.next
                    } while cursor != nil && paged.count < 100
                    #expect(paged == whole.items.map(\.conversation.id.description), "\(box), pages of \(size)")
                }
            }
            #expect(inbox.count == 6 && requests.count == 3)
        }
    }
}

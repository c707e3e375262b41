import Foundation
import KithDomain
import SQLKit

extension MemberCards {
    /// What a warm-up kept.
    public struct WarmUp: Sendable {
        /// Members read (with their vertex and their profile's traits), in id order from the first.
        public var members: Int
        /// What the cache's kept values weighed afterwards, roughly.
        public var bytes: Int
        /// Whether every member was read (otherwise the bound's share was reached first).
        public var complete: Bool
    }

    /// Fills `store`'s member cache with what every list of people scores from — members, their
    /// graph vertices and their profiles' traits — in id order, `page` members at a time, until the
    /// kept values weigh `share` of the cache's bound or every member is kept. A server calls it
    /// once at start-up, in the background: its first suggestions and weekly plans then read a few
    /// hundred candidates from memory rather than from the database (docs/BENCHMARKS.md).
    ///
    /// Everything goes through the cache's ordinary read path (a catch-up with the change feed
    /// first, a page kept only if no change was applied while it was read), so warming can never
    /// make it serve an older row than a cold read would.
    public static func warm(_ store: any Store, share: Double = 0.5, page: Int = 2_000) async throws -> WarmUp {
        let cards = store.memberCards
        let budget = Int(Double(cards.capacity) * share)
        let members = SQLMemberRepository(store: store)
        let profiles = SQLProfileRepository(store: store)
        var after = ""
        var read = 0
        while cards.weight < budget {
            try Task.checkCancellation()
            let from = after
            let ids = try await store.read { db in
                try await db.raw("SELECT id FROM members WHERE id > \(bind: from) ORDER BY id LIMIT \(literal: page)")
                    .all().map { Member.ID(try $0.uuid("id")) }
            }
            if let last = ids.last {
                _ = try await members.members(ids: ids)
                _ = try await profiles.traits(of: ids)
                read += ids.count
                after = last.description
            }
            if ids.count < page { return WarmUp(members: read, bytes: cards.weight, complete: true) }
        }
        return WarmUp(members: read, bytes: cards.weight, complete: false)
    }
}

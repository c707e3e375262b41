import ArgumentParser
import Foundation
import KithApp
import KithDemo
import KithDomain
import KithGraph

/// Suggestion quality on the demo community: hide 10% of the connections, then ask each ranker
/// for its top 20 per member and count how many hidden connections come back (recall@20).
/// Rankers: plain common neighbours, plain Adamic–Adar, and Kith's blend (Adamic–Adar with the
/// weak-tie damping plus shared cohort / organisation), all over second-degree and same-cohort
/// or same-employer candidates so the comparison is on the same candidate pool.
struct RecallBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "recall", abstract: "Suggestion recall@20 with 10% of edges hidden.")

    @Option(help: "Demo members.") var members = 2_000
    @Option(help: "Share of edges hidden.") var hidden = 0.1
    @Option(help: "Members evaluated (those with a hidden edge), at most.") var sample = 1_000
    @Flag(help: "Print JSON lines.") var json = false

    func run() async throws {
        let community = DemoCommunity(size: members).members(in: 0..<members)
        let ties = DemoNetwork.ties(for: community)
        var rng = SplitMix64(seed: 99)
        var kept: [Edge] = []
        var held: [Int32: Set<Int32>] = [:]
        for tie in ties {
            if Double(rng.next() % 10_000) / 10_000 < hidden {
                held[Int32(tie.a), default: []].insert(Int32(tie.b))
                held[Int32(tie.b), default: []].insert(Int32(tie.a))
            } else {
                kept.append(Edge(Int32(tie.a), Int32(tie.b), weight: tie.strength))
            }
        }
        let graph = SocialGraph(vertexCount: members, edges: kept)
        let queries = GraphQueries(graph)
        var cohortOf: [Int32: String] = [:]
        var employerOf: [Int32: String] = [:]
        var byCohort: [String: [Int32]] = [:]
        var byEmployer: [String: [Int32]] = [:]
        for (index, member) in community.enumerated() {
            let vertex = Int32(index)
            for affiliation in member.affiliations {
                if affiliation.kind == .school {
                    cohortOf[vertex] = affiliation.cohort
                    byCohort[affiliation.cohort, default: []].append(vertex)
                } else if affiliation.kind == .employer {
                    employerOf[vertex] = affiliation.organization
                    byEmployer[affiliation.organization, default: []].append(vertex)
                }
            }
        }
        let evaluated = held.keys.sorted().prefix(sample)
        var hits = ["common_neighbours": 0, "adamic_adar": 0, "kith": 0]
        var total = 0
        for vertex in evaluated {
            let target = held[vertex]!
            total += target.count
            var pool: [Int32: (mutuals: Int, adamicAdar: Double)] = [:]
            for candidate in queries.secondDegreeCandidates(of: vertex) {
                pool[candidate.vertex] = (candidate.mutualCount, candidate.adamicAdar)
            }
            for other in (cohortOf[vertex].flatMap { byCohort[$0] } ?? []) + (employerOf[vertex].flatMap { byEmployer[$0] } ?? [])
            where other != vertex && pool[other] == nil && !graph.areConnected(vertex, other) {
                pool[other] = (0, 0)
            }
            func top(_ score: (Int32, (mutuals: Int, adamicAdar: Double)) -> Double) -> Set<Int32> {
                var scored: [(vertex: Int32, score: Double)] = pool.map { entry in (entry.key, score(entry.key, entry.value)) }
                scored.sort { left, right in left.score != right.score ? left.score > right.score : left.vertex < right.vertex }
                return Set(scored.prefix(20).map(\.vertex))
            }
            hits["common_neighbours", default: 0] += top { Double($1.mutuals) }.intersection(target).count
            hits["adamic_adar", default: 0] += top { $1.adamicAdar }.intersection(target).count
            hits["kith", default: 0] +=
                top { other, features in
                    SuggestionScoring.score(
                        adamicAdar: features.adamicAdar,
                        mutuals: features.mutuals,
                        sharedCohort: cohortOf[other] != nil && cohortOf[other] == cohortOf[vertex],
                        sharedOrganization: employerOf[other] != nil && employerOf[other] == employerOf[vertex],
                        complementary: false
                    )
                }.intersection(target).count
        }
        for (name, count) in hits.sorted(by: { $0.key < $1.key }) {
            let recall = Double(count) / Double(max(1, total))
            print(
                json
                    ? "{\"name\": \"recall_at_20\", \"ranker\": \"\(name)\", \"members\": \(members), \"evaluated\": \(evaluated.count), \"hidden_edges\": \(total), \"recall\": \(String(format: "%.4f", recall))}"
                    : String(
                        format: "%-18@ recall@20 = %.3f (%d of %d hidden edges, %d members)",
                        name,
                        recall,
                        count,
                        total,
                        evaluated.count
                    )
            )
        }
    }
}

import KithGraph

/// Everyone a batch's suggestions consider, each once, by place: their member, graph vertex and
/// traits are looked up once per person for the whole batch, and each viewer's candidates refer to
/// them by place — so scoring a candidate reads arrays, not member-id dictionaries, and copies no
/// member (a weekly run over 100,000 members spent a quarter of its time hashing ids and copying
/// `Member` values per candidate: docs/BENCHMARKS.md).
struct SuggestionPool {
    private(set) var members: [Member] = []
    private(set) var vertices: [Int32?] = []
    /// Filled by `setTraits` for the people kept after the filters.
    private var traits: [ProfileTraits?] = []
    private var placeOfID: [Member.ID: Int32] = [:]
    private var placeOfVertex: [Int32: Int32] = [:]

    /// Someone who may be suggested to one viewer: a place in the pool, no strings.
    struct Candidate {
        var person: Int32
        var vertex: Int32?
        var mutuals = 0
        var adamicAdar = 0.0
        /// Where the affiliation shared with the viewer is in their list of peers.
        var sharedAt: Int?
    }

    /// The pool of the members found at graph vertices (the batch's second-degree candidates),
    /// given as two lists in step: the members' list becomes the pool's own, uncopied (a vertex is
    /// one member's for life, so no member comes twice).
    init(atVertices found: (vertices: [Int32], members: [Member])) {
        members = found.members
        vertices = found.vertices.map(Optional.some)
        placeOfID.reserveCapacity(found.members.count)
        placeOfVertex.reserveCapacity(found.members.count)
        for (place, vertex) in found.vertices.enumerated() {
            placeOfID[found.members[place].id] = Int32(place)
            placeOfVertex[vertex] = Int32(place)
        }
    }

    private mutating func add(_ member: Member, vertex: Int32?) -> Int32 {
        if let place = placeOfID[member.id] { return place }
        let place = Int32(members.count)
        members.append(member)
        vertices.append(vertex)
        placeOfID[member.id] = place
        return place
    }

    /// One viewer's candidates: their graph candidates (those whose member was found) and their
    /// classmates and colleagues, each once, with the affiliation they share (a shared cohort
    /// preferred to a shared organisation).
    mutating func candidates(
        of viewer: Member.ID,
        fromGraph: [GraphCandidate],
        peers: [(member: Member, shared: Affiliation)]
    ) -> [Candidate] {
        var list: [Candidate] = []
        list.reserveCapacity(fromGraph.count + peers.count)
        var positionOf: [Int32: Int] = Dictionary(minimumCapacity: fromGraph.count + peers.count)
        for candidate in fromGraph {
            guard let person = placeOfVertex[candidate.vertex] else { continue }
            positionOf[person] = list.count
            list.append(
                Candidate(person: person, vertex: candidate.vertex, mutuals: candidate.mutualCount, adamicAdar: candidate.adamicAdar)
            )
        }
        for (index, peer) in peers.enumerated() where peer.member.id != viewer {
            let person = add(peer.member, vertex: nil)
            guard let position = positionOf[person] else {
                positionOf[person] = list.count
                list.append(Candidate(person: person, sharedAt: index))
                continue
            }
            if list[position].sharedAt.map({ peers[$0].shared.cohort.isEmpty }) ?? true { list[position].sharedAt = index }
        }
        return list
    }

    /// The people whose vertex is not known yet (classmates and colleagues not met in the graph walk).
    var withoutVertex: [Member.ID] {
        vertices.indices.compactMap { vertices[$0] == nil ? members[$0].id : nil }
    }

    mutating func setVertices(_ found: [Member.ID: Int32]) {
        guard !found.isEmpty else { return }
        for place in vertices.indices where vertices[place] == nil { vertices[place] = found[members[place].id] }
    }

    mutating func setTraits(_ found: [Member.ID: ProfileTraits]) {
        traits = members.map { found[$0.id] }
    }

    /// A person's traits (those without a profile, or not read, get what lists assume for them).
    func traits(of person: Int32) -> ProfileTraits {
        let place = Int(person)
        return (place < traits.count ? traits[place] : nil) ?? .ofMemberWithoutProfile(members[place])
    }
}

public import Foundation

/// The parts of a member's profile a word can match, in the order ranking prefers them: a word in
/// the name outranks the same word in a headline, then skills, then organisations, then the rest
/// (bio, industry, interests, location). Each field's weight and length normalisation enter BM25F.
public enum Field: Int, CaseIterable, Sendable {
    case name, headline, skills, organizations, other

    /// How much one occurrence counts. Saturated by BM25F's `k1`, a single occurrence scores
    /// name 0.91, headline 0.83, skills 0.71, organisations 0.63, other text 0.45 of the word's idf.
    var weight: Float {
        switch self {
        case .name: 12
        case .headline: 6
        case .skills: 3
        case .organizations: 2
        case .other: 1
        }
    }

    /// BM25F's `b` per field: long bios are normalised, names and skills hardly at all.
    var lengthNormalisation: Float {
        switch self {
        case .name, .skills: 0.2
        case .headline, .organizations: 0.4
        case .other: 0.75
        }
    }
}

/// One member as the word index keeps them. Only what the whole community may read goes in (the
/// caller applies the visibility rules): texts per field, facet tokens, and the searchable location.
public struct IndexedDocument: Sendable, Equatable {
    public var id: UUID
    /// Orders members of equal score (the member's `seq`) and is the tiebreak of a page's cursor.
    public var key: Int64
    /// One text per `Field`, in `Field.allCases` order.
    public var texts: [String]
    /// Opaque facet tokens (exact match only; never matched by words).
    public var facets: [String]
    /// The location as a location filter matches it (a substring), or nil when hidden.
    public var location: String?
    /// The order of a browsed list (the member's name key), then `id`.
    public var sortKey: String

    public init(id: UUID, key: Int64, texts: [Field: String], facets: [String], location: String?, sortKey: String = "") {
        self.id = id
        self.key = key
        self.texts = Field.allCases.map { texts[$0] ?? "" }
        self.facets = facets
        self.location = location
        self.sortKey = sortKey
    }
}

/// Average field lengths in words, which BM25F normalises against.
public struct FieldLengths: Sendable, Equatable {
    var averages: [Float]

    static let neutral = FieldLengths(averages: [Float](repeating: 1, count: Field.allCases.count))

    init(averages: [Float]) {
        self.averages = averages
    }
}

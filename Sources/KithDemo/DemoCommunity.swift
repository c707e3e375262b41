public import Foundation
public import KithDomain

/// One generated member with everything the directory needs.
public struct DemoMember: Sendable {
    public var member: Member
    public var profile: Profile
    public var affiliations: [Affiliation]
}

/// A deterministic, realistic synthetic alumni community: the same seed and size always give
/// the same people. Class years spread like a real alumni body (more recent graduates than
/// old ones), careers follow the class year, employers and skills cluster by field.
public struct DemoCommunity: Sendable {
    public static let demoEmail = "demo@kith.example"
    public static let demoPassword = "kith-demo-2026"
    /// The demo member's app password for contacts and calendar apps (as published as the above).
    public static let demoAppPassword = "kith-demo-dav-2026-phone"
    public static let demoHandle = "demo"
    public static let school = "Northfield University"

    public let size: Int
    public let seed: UInt64
    public let now: Date

    public init(size: Int, seed: UInt64 = 2026, now: Date = Date(timeIntervalSince1970: 1_795_000_000)) {
        self.size = size
        self.seed = seed
        self.now = now
    }

    /// Lowercase a–z only, accents folded: "Müller" → "muller", "O'Brien" → "obrien".
    static func ascii(_ text: String) -> String {
        String(
            text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased().unicodeScalars.filter {
                ("a"..."z").contains($0)
            }.map(Character.init)
        )
    }

    /// Generates members in order; member 0 is the demo sign-in.
    public func members(in range: Range<Int>) -> [DemoMember] {
        range.map(member(at:))
    }

    public func member(at index: Int) -> DemoMember {
        var rng = SplitMix64(seed: seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        let thisYear = Calendar(identifier: .gregorian).component(.year, from: now)
        let first = Names.first.pick(&rng)
        let last = Names.last.pick(&rng)
        let name = index == 0 ? "Dana Demo" : "\(first) \(last)"
        let handle = index == 0 ? Self.demoHandle : "\(Self.ascii(first))-\(Self.ascii(last).prefix(14))-\(index)"
        // Skewed toward recent classes: the square root of a uniform draw.
        let age = Int((Double(rng.next() % 10_000) / 10_000).squareRoot() * 52)
        let classYear = thisYear + 3 - (52 - age)
        let yearsOut = thisYear - classYear
        let field = Fields.all.pick(&rng)
        var stage: CareerStage =
            switch yearsOut {
            case ..<0: .student
            case 0..<5: .earlyCareer
            case 5..<16: .midCareer
            case 16..<38: .senior
            default: .retired
            }
        if stage != .student && stage != .retired && rng.next() % 100 < 6 { stage = .inTransition }
        if index == 0 { stage = .midCareer }
        let employer = field.employers.pick(&rng)
        let title = stage == .student ? "Student" : field.titles(for: stage).pick(&rng)
        let skills = field.skills.shuffled(&rng).prefix(3 + Int(rng.next() % 5))
        let interests = Fields.interests.shuffled(&rng).prefix(1 + Int(rng.next() % 3))
        var openTo = Set<OpenTo>()
        switch stage {
        case .student: openTo = [.beingMentored, .coffeeChats]
        case .earlyCareer: openTo = rng.next() % 2 == 0 ? [.beingMentored, .referrals] : [.coffeeChats]
        case .midCareer: openTo = rng.next() % 3 == 0 ? [.givingReferrals, .collaboration] : [.coffeeChats]
        case .senior: openTo = rng.next() % 2 == 0 ? [.mentoring, .givingReferrals] : [.mentoring]
        case .inTransition: openTo = [.referrals, .coffeeChats]
        case .retired: openTo = [.mentoring]
        }
        if stage == .senior || stage == .midCareer, rng.next() % 10 == 0 { openTo.insert(.hiring) }
        var visibility = Profile.defaultVisibility
        if rng.next() % 10 == 0 { visibility[.location] = .connections }
        if rng.next() % 20 == 0 { visibility[.skills] = .onlyMe }
        let createdAt = now.addingTimeInterval(-Double(rng.next() % (3 * 365 * 86_400)))
        let memberID = Member.ID(UUID.version7(at: createdAt))
        let member = Member(
            id: memberID,
            email: try! EmailAddress(index == 0 ? Self.demoEmail : "\(handle)@example.org"),
            handle: try! Handle(handle),
            name: name,
            role: index == 0 ? .admin : .member,
            createdAt: createdAt
        )
        let profile = Profile(
            memberID: memberID,
            headline: stage == .student ? "\(field.degree) student at \(Self.school)" : "\(title) at \(employer)",
            bio: "\(field.bio) Class of \(classYear) at \(Self.school).",
            location: Places.all.pick(&rng),
            industry: field.industry,
            careerStage: stage,
            skills: Array(skills),
            interests: Array(interests),
            openTo: openTo,
            visibility: visibility,
            updatedAt: createdAt
        )
        var affiliations = [
            Affiliation(
                id: .init(UUID.version7(at: createdAt)),
                memberID: memberID,
                kind: .school,
                organization: Self.school,
                title: field.degree,
                cohort: "Class of \(classYear)",
                startYear: classYear - 4,
                endYear: classYear,
                createdAt: createdAt
            )
        ]
        if stage != .student {
            affiliations.append(
                Affiliation(
                    id: .init(UUID.version7(at: createdAt.addingTimeInterval(1))),
                    memberID: memberID,
                    kind: .employer,
                    organization: employer,
                    title: title,
                    startYear: min(thisYear, classYear + Int(rng.next() % UInt64(max(1, yearsOut + 1)))),
                    createdAt: createdAt.addingTimeInterval(1)
                )
            )
        }
        return DemoMember(member: member, profile: profile, affiliations: affiliations)
    }
}

/// A small, fast, seedable generator (SplitMix64), so demo data is identical on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Array {
    func pick(_ rng: inout SplitMix64) -> Element { self[Int(rng.next() % UInt64(count))] }
    func shuffled(_ rng: inout SplitMix64) -> [Element] { shuffled(using: &rng) }
}

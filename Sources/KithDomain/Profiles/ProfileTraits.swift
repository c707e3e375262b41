/// What lists of people score and filter by, without a profile's text: the career stage, the
/// "open to" signals and each section's visibility, in a few bytes with nothing to allocate or
/// count references to. Suggestions score ~140 candidates to show 20; they read these for all and
/// whole profiles only for the ones shown (docs/ARCHITECTURE.md, "The member cache").
public struct ProfileTraits: Sendable, Equatable, SectionVisibility {
    public let careerStage: CareerStage?
    private let openToBits: UInt16
    /// Two bits a section, in `ProfileSection.allCases` order (a `Visibility`'s index).
    private let visibilityBits: UInt16

    public init(_ profile: Profile) {
        careerStage = profile.careerStage
        openToBits = profile.openTo.reduce(0) { $0 | Self.bit($1) }
        var bits: UInt16 = 0
        for (index, section) in ProfileSection.allCases.enumerated() {
            bits |= UInt16(Visibility.allCases.firstIndex(of: profile.visibility(of: section)) ?? 2) << (2 * index)
        }
        visibilityBits = bits
    }

    /// The traits of a member who has not written a profile (what lists assume for them).
    public static func ofMemberWithoutProfile(_ member: Member) -> ProfileTraits {
        ProfileTraits(Profile(memberID: member.id, updatedAt: member.createdAt))
    }

    public func isOpen(to signal: OpenTo) -> Bool { openToBits & Self.bit(signal) != 0 }

    public func visibility(of section: ProfileSection) -> Visibility {
        guard let index = ProfileSection.allCases.firstIndex(of: section) else { return .onlyMe }
        let value = Int((visibilityBits >> (2 * index)) & 0b11)
        return value < Visibility.allCases.count ? Visibility.allCases[value] : .onlyMe
    }

    /// One bit a signal (`OpenTo` has 7; `ProfileTraitsTests` fails past 16).
    private static func bit(_ signal: OpenTo) -> UInt16 {
        UInt16(1) << UInt16(OpenTo.allCases.firstIndex(of: signal) ?? 0)
    }
}

/// Anything that says who may see each profile section (a profile, or its traits): what
/// `ProfilePolicy.canSee` decides from.
public protocol SectionVisibility {
    func visibility(of section: ProfileSection) -> Visibility
}

extension Profile: SectionVisibility {}

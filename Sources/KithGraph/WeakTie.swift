import Foundation

/// The weak-tie evidence as a scoring factor. In LinkedIn's randomised experiment over 20 million
/// members (Rajkumar et al., Science 2022) job mobility rose with the number of mutual connections
/// up to about ten and fell after: moderately weak ties helped most. The factor is an inverted U
/// over mutual connections, 1 at the peak, used to damp candidates one already nearly knows.
public enum WeakTie {
    public static let peakMutuals = 10.0

    public static func factor(mutuals: Int) -> Double {
        mutuals >= 0 && mutuals < table.count ? table[mutuals] : curve(mutuals)
    }

    /// Suggestions score every candidate of a walk (thousands), and a log and an exp each cost
    /// more than the rest of the visit; mutual counts are small whole numbers, so they are looked up.
    private static let table: [Double] = (0..<4_096).map(curve)

    private static func curve(_ mutuals: Int) -> Double {
        guard mutuals > 0 else { return 0.35 }
        let x = log(Double(mutuals) / peakMutuals)
        return 0.35 + 0.65 * exp(-(x * x) / 1.2)
    }
}

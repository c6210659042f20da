/// The named strategy a combo's legs form, for previews, audit rows and refusals.
///
/// The name describes; it does not decide the requirement. ``StructureBuyingPower`` computes the
/// maximum loss from the payoff itself, so an unnamed but covered structure (an iron butterfly, a
/// broken-wing condor) is judged as exactly as a named one.
public enum StructureShape: Sendable, Hashable {
    /// Same expiry and type, two strikes, one long and one short, equal ratio.
    case vertical(OptionSymbol.Right)
    /// A put vertical and a call vertical on one expiry, both short strikes inside the wings and
    /// the short put below the short call.
    case ironCondor
    /// Three strikes of one type and expiry in ratio 1-2-1, the body on the other side from the
    /// wings (equidistant or broken-wing).
    case butterfly(OptionSymbol.Right)
    /// Same type and strike, the long leg expiring later than the short one.
    case calendar(OptionSymbol.Right)
    /// Long shares (a stock leg in the order, or shares held) against short calls.
    case coveredCall
    /// A long call and a long put at one strike and expiry.
    case straddle
    /// A long call and a long put at different strikes, one expiry.
    case strangle
    /// Every short covered, but not one of the shapes above.
    case otherDefinedRisk
    /// Every leg closes a position held.
    case closing
    /// A short leg nothing covers (`leg` is its 1-based index): the combo is refused.
    case uncovered(leg: Int, reason: String)

    /// A stable snake_case name for clients and logs.
    public var name: String {
        switch self {
        case .vertical: "vertical"
        case .ironCondor: "iron_condor"
        case .butterfly: "butterfly"
        case .calendar: "calendar"
        case .coveredCall: "covered_call"
        case .straddle: "straddle"
        case .strangle: "strangle"
        case .otherDefinedRisk: "other_defined_risk"
        case .closing: "closing"
        case .uncovered: "uncovered"
        }
    }
}

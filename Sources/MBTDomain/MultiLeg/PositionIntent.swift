/// Which position a leg acts on and from which side: Alpaca's `position_intent`.
///
/// The intent already implies the side, yet a ticket carries both (as Alpaca's does); the validator
/// refuses a pair that contradicts itself instead of guessing which of the two the user meant.
public enum PositionIntent: String, Sendable, Codable, CaseIterable {
    case buyToOpen = "buy_to_open"
    case buyToClose = "buy_to_close"
    case sellToOpen = "sell_to_open"
    case sellToClose = "sell_to_close"

    /// The order side the intent requires.
    public var side: OrderSide {
        switch self {
        case .buyToOpen, .buyToClose: .buy
        case .sellToOpen, .sellToClose: .sell
        }
    }

    /// Whether the leg opens (or extends) a position; closing legs only reduce one already held,
    /// so they never cover another leg's risk.
    public var opens: Bool {
        switch self {
        case .buyToOpen, .sellToOpen: true
        case .buyToClose, .sellToClose: false
        }
    }
}

import MBTDomain

/// Why a holder's early exercise of an option position was refused; nothing was written.
public enum ExerciseError: Error, Sendable, Equatable {
    /// The user holds no position in the symbol.
    case noPosition(String)
    /// The position is stock, not an option contract.
    case notAnOption(String)
    /// A short contract is assigned, never exercised by its writer.
    case shortPosition(String)
    /// The contract expired on an earlier day: the expiry job settles it, not the holder.
    case expired(symbol: String, expiry: MarketDate)
    /// Exercise instructions are taken while a session is open, as the broker's desk takes them.
    case marketClosed(String)
    /// Contracts held back by open orders cannot be exercised as well.
    case heldForOrders(symbol: String, held: Decimal6)
    /// The market has no price for the underlying.
    case noPrice(String)
    /// The account cannot carry what the exercise delivers (cash for a call's shares, collateral
    /// for the short stock a put without shares leaves).
    case refused(OrderRejection)

    public var message: String {
        switch self {
        case .noPosition: "position does not exist"
        case .notAnOption(let symbol): "\(symbol) is not an option position: only option contracts can be exercised"
        case .shortPosition(let symbol): "\(symbol) is a short position: only long contracts can be exercised (a short one is assigned)"
        case .expired(let symbol, let expiry):
            "\(symbol) expired on \(expiry); the expiry job settles it (docs/jobs.md), it can no longer be exercised"
        case .marketClosed(let when): "options can be exercised only while the market is open (\(when))"
        case .heldForOrders(let symbol, let held):
            "\(held) contract(s) of \(symbol) are held for open orders; cancel them before exercising"
        case .noPrice(let underlying): "the market has no price for \(underlying), the contract's underlying"
        case .refused(let rejection): "the exercise was refused: \(rejection.message)"
        }
    }
}

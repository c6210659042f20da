import Foundation

/// An open (or archived) holding in one symbol, as the ledger records it (`paper_positions`).
public struct Position: Sendable, Hashable {
    public let symbol: String
    public let assetClass: AssetClass
    public let side: PositionSide
    /// Shares or contracts, always positive; `side` says which way.
    public let quantity: Decimal6
    /// Average cost per share (per contract share for options).
    public let averageCost: Decimal6
    public let openedAt: Date

    public init(symbol: String, assetClass: AssetClass, side: PositionSide, quantity: Decimal6, averageCost: Decimal6, openedAt: Date) {
        self.symbol = symbol
        self.assetClass = assetClass
        self.side = side
        self.quantity = quantity
        self.averageCost = averageCost
        self.openedAt = openedAt
    }

    /// Shares per unit of quantity: 100 for option contracts.
    public var multiplier: Int64 { assetClass == .option ? OptionSymbol.contractMultiplier : 1 }

    /// The signed quantity: positive long, negative short.
    public var signedQuantity: Decimal6 { side == .long ? quantity : -quantity }
}

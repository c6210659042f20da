import Foundation

/// How one fill changes a position and the cash, by average cost (the tax engine's lots refine
/// realized P&L later; positions stay on average cost, as brokers show them).
public enum PositionMath {
    /// The result of applying a fill.
    public struct Outcome: Sendable, Hashable {
        /// The position afterwards; `nil` when the fill closed it exactly.
        public let position: Position?
        /// Cash moved by the fill: negative for buys, positive for sells.
        public let cashChange: Decimal6
        /// Gain or loss realized on the part of the fill that closed the old position.
        public let realizedPnL: Decimal6
    }

    /// Applies `fill` at `now` to `current` (the open position in the fill's symbol, if any).
    ///
    /// Rounding: notional half-even to six decimals; a new average cost (only when adding to a
    /// position) half-even per share. A fill larger than the opposite position closes it and opens
    /// the remainder the other way at the fill price.
    public static func apply(
        _ fill: Fill, to current: Position?, assetClass: AssetClass, at now: Date
    ) throws(DecimalArithmeticError) -> Outcome {
        let notional = try fill.notional()
        let cashChange = fill.side == .buy ? -notional : notional
        let fillSide: PositionSide = fill.side == .buy ? .long : .short
        guard let current, current.quantity.isPositive else {
            let opened = Position(
                symbol: fill.symbol, assetClass: assetClass, side: fillSide, quantity: fill.quantity, averageCost: fill.price, openedAt: now
            )
            return Outcome(position: opened, cashChange: cashChange, realizedPnL: .zero)
        }
        if current.side == fillSide {
            let total = current.quantity + fill.quantity
            let cost = try current.averageCost.multiplied(by: current.quantity) + fill.price.multiplied(by: fill.quantity)
            let average = try cost.divided(by: total)
            let added = Position(
                symbol: current.symbol, assetClass: assetClass, side: fillSide, quantity: total, averageCost: average,
                openedAt: current.openedAt)
            return Outcome(position: added, cashChange: cashChange, realizedPnL: .zero)
        }
        let closing = min(current.quantity, fill.quantity)
        let perShare = current.side == .long ? fill.price - current.averageCost : current.averageCost - fill.price
        let realized = try perShare.multiplied(by: closing.multiplied(by: current.multiplier))
        let remaining = current.quantity - closing
        let excess = fill.quantity - closing
        let position: Position?
        if remaining.isPositive {
            position = Position(
                symbol: current.symbol, assetClass: assetClass, side: current.side, quantity: remaining, averageCost: current.averageCost,
                openedAt: current.openedAt)
        } else if excess.isPositive {
            position = Position(
                symbol: current.symbol, assetClass: assetClass, side: fillSide, quantity: excess, averageCost: fill.price, openedAt: now)
        } else {
            position = nil
        }
        return Outcome(position: position, cashChange: cashChange, realizedPnL: realized)
    }
}

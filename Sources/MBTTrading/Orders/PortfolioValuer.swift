import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage

/// Marks a user's open positions by the one marking rule (quote mid, else last bar close, else
/// average cost), for the positions list and the account's equity, and works out the account's
/// buying power by the same rule the order paths judge by.
public struct PortfolioValuer: Sendable {
    public let positions: PositionStore
    public let marketData: MarketDataService
    public let barCloses: BarCloseBook

    public init(positions: PositionStore, marketData: MarketDataService, barCloses: BarCloseBook = BarCloseBook()) {
        self.positions = positions
        self.marketData = marketData
        self.barCloses = barCloses
    }

    public struct MarkedPosition: Sendable {
        public let position: Position
        /// The market's price, or `nil` when neither a quote nor a bar close is at hand (the
        /// position is then valued at its average cost).
        public let mark: Decimal6?
        /// Signed: negative for shorts.
        public let marketValue: Decimal6
        /// Signed cost of the position at its average cost.
        public let costBasis: Decimal6
        public var unrealizedPnL: Decimal6 { marketValue - costBasis }
    }

    public struct Valuation: Sendable {
        public let positions: [MarkedPosition]
        /// The prices the positions were marked with.
        public let marks: Marks
        public var marketValue: Decimal6 { positions.reduce(.zero) { $0 + $1.marketValue } }
        public var costBasis: Decimal6 { positions.reduce(.zero) { $0 + $1.costBasis } }
        public var unrealizedPnL: Decimal6 { marketValue - costBasis }
    }

    public func value(userId: Int64) async throws -> Valuation {
        let held = try await positions.openPositions(userId: userId)
        let symbols = held.map(\.symbol)
        let marks = Marks(quotes: try await marketData.anyQuotes(symbols, for: [userId]), barCloses: barCloses.closes(symbols))
        return Valuation(
            positions: try held.map { position in
                let mark = marks.mark(position.symbol, averageCost: position.averageCost)
                return try Self.mark(position, at: mark.source == .averageCost ? nil : mark.price)
            },
            marks: marks)
    }

    /// Free cash (`buying_power`) and what it is made of, with the account's open orders.
    public func buyingPower(userId: Int64, cash: Decimal6, valuation: Valuation) async throws -> BuyingPowerAccount.Breakdown {
        let (rows, totals, structures) = try await positions.database.withConnection { db in
            (
                try await LedgerStore.openPositions([userId], on: db), try await OpenOrderTotals.read([userId], on: db),
                try await LedgerStore.openComboReservations([userId], on: db)
            )
        }
        // Open orders in symbols not held are reserved at their market price too.
        var marks = valuation.marks
        let unpriced = Set(totals.map(\.symbol)).subtracting(marks.quotes.keys)
        if !unpriced.isEmpty {
            marks.quotes.merge(try await marketData.anyQuotes(Array(unpriced), for: [userId])) { held, _ in held }
            marks.barCloses.merge(barCloses.closes(unpriced)) { held, _ in held }
        }
        return try LedgerAccount(
            userId: userId, cash: cash, positions: rows, openOrders: totals, reservedByStructures: structures[userId] ?? .zero
        ).buyingPower(marks: marks).breakdown()
    }

    static func mark(_ position: Position, at mark: Decimal6?) throws -> MarkedPosition {
        let units = try position.quantity.multiplied(by: position.multiplier)
        let sign: Decimal6 = position.side == .long ? 1 : -1
        let value = try (mark ?? position.averageCost).multiplied(by: units).multiplied(by: sign)
        let cost = try position.averageCost.multiplied(by: units).multiplied(by: sign)
        return MarkedPosition(position: position, mark: mark, marketValue: value, costBasis: cost)
    }
}

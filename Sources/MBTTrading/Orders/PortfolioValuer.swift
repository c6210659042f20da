import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage

/// Marks a user's open positions to the latest quote mids (cost when no quote is at hand), for
/// the positions list and the account's equity.
public struct PortfolioValuer: Sendable {
    public let positions: PositionStore
    public let marketData: MarketDataService

    public init(positions: PositionStore, marketData: MarketDataService) {
        self.positions = positions
        self.marketData = marketData
    }

    public struct MarkedPosition: Sendable {
        public let position: Position
        /// The quote mid, or `nil` when the market had no quote.
        public let mark: Decimal6?
        /// Signed: negative for shorts.
        public let marketValue: Decimal6
        /// Signed cost of the position at its average cost.
        public let costBasis: Decimal6
        public var unrealizedPnL: Decimal6 { marketValue - costBasis }
    }

    public struct Valuation: Sendable {
        public let positions: [MarkedPosition]
        public var marketValue: Decimal6 { positions.reduce(.zero) { $0 + $1.marketValue } }
        public var costBasis: Decimal6 { positions.reduce(.zero) { $0 + $1.costBasis } }
        public var unrealizedPnL: Decimal6 { marketValue - costBasis }
    }

    public func value(userId: Int64) async throws -> Valuation {
        let held = try await positions.openPositions(userId: userId)
        let marks = try await self.marks(held, userId: userId)
        return Valuation(positions: try held.map { try Self.mark($0, at: marks[$0.symbol]) })
    }

    private func marks(_ held: [Position], userId: Int64) async throws -> [String: Decimal6] {
        let stocks = held.filter { $0.assetClass == .usEquity }.map(\.symbol)
        let options = held.compactMap { try? OptionSymbol(parsing: $0.symbol) }
        var marks = stocks.isEmpty ? [:] : try await marketData.quotes(stocks, for: [userId]).mapValues(\.mid)
        if !options.isEmpty {
            for (symbol, quote) in try await marketData.optionQuotes(options, for: [userId]) { marks[symbol.description] = quote.mid }
        }
        return marks
    }

    static func mark(_ position: Position, at mark: Decimal6?) throws -> MarkedPosition {
        let units = try position.quantity.multiplied(by: position.multiplier)
        let sign: Decimal6 = position.side == .long ? 1 : -1
        let value = try (mark ?? position.averageCost).multiplied(by: units).multiplied(by: sign)
        let cost = try position.averageCost.multiplied(by: units).multiplied(by: sign)
        return MarkedPosition(position: position, mark: mark, marketValue: value, costBasis: cost)
    }
}

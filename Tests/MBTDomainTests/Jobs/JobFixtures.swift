import Foundation
import MBTDomain

/// Positions, dates and instants for the daily-job rule tests. Expected instants are written in UTC
/// so that they do not come from the New York conversion under test.
enum JobFixtures {
    static let calendar = NYSECalendar()
    static let opened = utc("2026-01-05T15:00:00Z")

    static func date(_ iso: String) -> MarketDate {
        guard let date = MarketDate(iso: iso) else { preconditionFailure("bad test date \(iso)") }
        return date
    }

    /// An instant written as ISO 8601 with a `Z`.
    static func utc(_ text: String) -> Date {
        guard let date = try? Date(text, strategy: .iso8601) else { preconditionFailure("bad test instant \(text)") }
        return date
    }

    static func contract(_ symbol: String) -> OptionSymbol {
        guard let contract = try? OptionSymbol(parsing: symbol) else { preconditionFailure("bad test contract \(symbol)") }
        return contract
    }

    static func option(_ symbol: String, _ side: PositionSide, _ contracts: Decimal6, averageCost: Decimal6 = "1.00") -> Position {
        Position(symbol: symbol, assetClass: .option, side: side, quantity: contracts, averageCost: averageCost, openedAt: opened)
    }

    static func stock(
        _ symbol: String, _ side: PositionSide, _ shares: Decimal6, averageCost: Decimal6 = "100", openedAt: Date = opened
    ) -> Position {
        Position(symbol: symbol, assetClass: .usEquity, side: side, quantity: shares, averageCost: averageCost, openedAt: openedAt)
    }
}

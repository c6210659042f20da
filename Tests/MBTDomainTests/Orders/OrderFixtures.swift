import Foundation
import MBTDomain

/// Instants, quotes, bars and orders for the order-engine tests, in New York time so that each table
/// row reads like the market's clock.
enum OrderFixtures {
    static let calendar = NYSECalendar()
    static let stock = "AAPL"
    /// AAPL 2026-12-18 150 call and put.
    static let call = try! OptionSymbol(parsing: "AAPL261218C00150000")
    static let put = try! OptionSymbol(parsing: "AAPL261218P00150000")

    /// `date` (YYYY-MM-DD) at `hour:minute:second` New York time.
    static func ny(_ date: String, _ hour: Int, _ minute: Int, _ second: Int = 0) -> Date {
        MarketDate(iso: date)!.at(hour: hour, minute: minute).addingTimeInterval(TimeInterval(second))
    }

    /// The session containing `instant`, as the caller of the engine computes it.
    static func session(at instant: Date) -> TradingSession? {
        calendar.session(containing: instant)
    }

    static func session(on date: String) -> TradingSession {
        calendar.session(on: MarketDate(iso: date)!)!
    }

    static func quote(
        _ symbol: String = stock, bid: Decimal6 = "100.00", ask: Decimal6 = "100.10", at timestamp: Date
    ) -> Quote {
        Quote(symbol: symbol, bid: bid, ask: ask, bidSize: 100, askSize: 100, timestamp: timestamp)
    }

    static func bar(
        _ symbol: String = stock, at start: Date, open: Decimal6, high: Decimal6, low: Decimal6, close: Decimal6
    ) -> Bar {
        Bar(symbol: symbol, start: start, open: open, high: high, low: low, close: close, volume: 1_000)
    }

    /// An order for the stock.
    static func order(
        _ side: OrderSide, _ type: OrderType, limit: Decimal6? = nil, tif: TimeInForce = .day, quantity: Decimal6 = 10,
        submittedAt: Date
    ) -> RestingOrder {
        order(.equity(stock), side, type, limit: limit, tif: tif, quantity: quantity, submittedAt: submittedAt)
    }

    static func order(
        _ instrument: OrderInstrument, _ side: OrderSide, _ type: OrderType, limit: Decimal6? = nil,
        tif: TimeInForce = .day, quantity: Decimal6 = 10, submittedAt: Date
    ) -> RestingOrder {
        RestingOrder(
            instrument: instrument, side: side, quantity: quantity, type: type, limitPrice: limit, timeInForce: tif,
            submittedAt: submittedAt)
    }
}

import Foundation
import MBTDomain

/// Market data in Alpaca's Market Data API shapes (docs/alpaca-api.md, "Market data"): one-letter
/// keys, prices as JSON numbers, RFC 3339 times. MBT's market has no exchange codes, conditions or
/// tape, so those keys are left out (Alpaca's clients treat them as optional).
enum AlpacaMarketDataBody {
    static func quote(_ quote: Quote) -> AlpacaValue {
        .object([
            "t": .time(quote.timestamp), "ap": .number(quote.ask), "as": .int(Int(quote.askSize)), "bp": .number(quote.bid),
            "bs": .int(Int(quote.bidSize)),
        ])
    }

    static func bar(_ bar: Bar) -> AlpacaValue {
        .object([
            "t": .time(bar.start), "o": .number(bar.open), "h": .number(bar.high), "l": .number(bar.low), "c": .number(bar.close),
            "v": .int(Int(bar.volume)), "n": bar.tradeCount.map { .int(Int($0)) } ?? .null, "vw": .number(bar.vwap),
        ])
    }

    /// MBT's market has no trade tape: the latest "trade" is the last one-minute bar's close, at
    /// the end of that bar, with no size (`s` 0).
    static func trade(from bar: Bar) -> AlpacaValue {
        .object(["t": .time(bar.start.addingTimeInterval(60)), "p": .number(bar.close), "s": .int(0)])
    }
}

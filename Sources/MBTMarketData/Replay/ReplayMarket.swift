import Foundation
import MBTDomain

/// A recorded day (or days) served as the market, for reproducible runs and demos outside trading
/// hours. Time comes only from the injected clock, and nothing recorded after `clock.now()` is
/// visible, so a replay cannot price from the future.
public struct ReplayMarket: MarketDataProvider {
    public let source = "replay"
    public let recording: ReplayRecording
    public let clock: any MarketClock

    /// How long a bar lasts: a minute bar is known only once its minute is over.
    static let barLength: TimeInterval = 60
    /// Half the spread of a quote synthesized from a bar. A zero spread would look like a locked
    /// book to checks that reject crossed or locked quotes, so the close gets a cent on each side.
    static let synthesizedHalfSpread: Decimal6 = "0.01"

    public init(recording: ReplayRecording, clock: any MarketClock) {
        self.recording = recording
        self.clock = clock
    }

    /// The last recorded quote at or before now. A symbol recorded only as bars gets a quote made
    /// from its last completed bar: close ∓ 0.01, sizes 1, stamped when the bar ended.
    /// The recording's stock symbols: every symbol it holds bars or quotes of.
    public func tradableStocks() -> Set<String> {
        recording.stockSymbols
    }

    public func latestQuotes(_ symbols: [String]) -> [String: Quote] {
        stockQuotes(symbols, at: clock.now())
    }

    /// The recording as it stood at `instant` (never past now).
    public func quotes(_ symbols: [String], at instant: Date) -> [String: Quote]? {
        let asOf = min(instant, clock.now())
        let options = symbols.compactMap { OptionSymbol.isOptionSymbol($0) ? try? OptionSymbol(parsing: $0) : nil }
        var quotes = stockQuotes(symbols.filter { !OptionSymbol.isOptionSymbol($0) }, at: asOf)
        for (symbol, quote) in optionQuotes(options, at: asOf) { quotes[symbol.description] = quote }
        return quotes
    }

    private func stockQuotes(_ symbols: [String], at now: Date) -> [String: Quote] {
        var quotes: [String: Quote] = [:]
        for symbol in symbols {
            if let series = recording.quotes[symbol] {
                quotes[symbol] = series.last(atOrBefore: now)
            } else if let bar = lastCompletedBar(symbol, at: now) {
                quotes[symbol] = Quote(
                    symbol: symbol, bid: bar.close - Self.synthesizedHalfSpread, ask: bar.close + Self.synthesizedHalfSpread, bidSize: 1,
                    askSize: 1, timestamp: bar.start.addingTimeInterval(Self.barLength))
            }
        }
        return quotes
    }

    /// Recorded bars starting in `[from, to)` that have also ended by now; symbols with none are absent.
    public func minuteBars(_ symbols: [String], from: Date, to: Date) -> [String: [Bar]] {
        let now = clock.now()
        var bars: [String: [Bar]] = [:]
        for symbol in Set(symbols) {
            guard let series = recording.bars[symbol] else { continue }
            let lower = series.firstIndex { $0.start >= from }
            let upper = min(
                series.firstIndex { $0.start >= to },
                series.firstIndex { $0.start.addingTimeInterval(Self.barLength) > now })
            if lower < upper { bars[symbol] = Array(series.elements[lower..<upper]) }
        }
        return bars
    }

    /// The recorded contracts of `underlying` on `expiry` that have a quote by now, each with its
    /// latest quote and no greeks (a recording has none); ordered by right, then strike.
    public func optionChain(underlying: String, expiry: MarketDate) -> [OptionChainEntry] {
        let now = clock.now()
        let contracts = recording.chains[ReplayRecording.ChainKey(underlying: underlying, expiry: expiry)] ?? []
        return contracts.compactMap { contract in
            recording.optionQuotes[contract]?.last(atOrBefore: now).map { OptionChainEntry(symbol: contract, quote: $0) }
        }
    }

    public func latestOptionQuotes(_ symbols: [OptionSymbol]) -> [OptionSymbol: Quote] {
        optionQuotes(symbols, at: clock.now())
    }

    private func optionQuotes(_ symbols: [OptionSymbol], at now: Date) -> [OptionSymbol: Quote] {
        var quotes: [OptionSymbol: Quote] = [:]
        for symbol in symbols {
            quotes[symbol] = recording.optionQuotes[symbol]?.last(atOrBefore: now)
        }
        return quotes
    }

    /// The recording's corporate actions with an ex-date in `[from, through]`. They are not hidden
    /// until their ex-date: actions are announced ahead, and the daily jobs ask about coming dates.
    public func corporateActions(from: MarketDate, through: MarketDate, symbols: [String]) -> [CorporateAction] {
        let wanted = Set(symbols)
        return recording.corporateActions.filter { action in
            action.exDate >= from && action.exDate <= through && (wanted.isEmpty || wanted.contains(action.symbol))
        }
    }

    private func lastCompletedBar(_ symbol: String, at now: Date) -> Bar? {
        guard let series = recording.bars[symbol] else { return nil }
        let end = series.firstIndex { $0.start.addingTimeInterval(Self.barLength) > now }
        return end > 0 ? series.elements[end - 1] : nil
    }
}

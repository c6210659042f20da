import Foundation
import MBTDomain

/// The market MBT trades against when no Alpaca keys are set: a fixed universe of stocks, ETFs and
/// indexes whose prices walk during NYSE sessions, with option chains, bars and corporate actions
/// that all follow from one seed.
///
/// Every answer is a pure function of the seed and the clock's reading: the same seed gives the
/// same quote for the same symbol at the same instant whatever was asked before, in any order, from
/// any thread (see ``SimulatedNoise`` and ``SimulatedPricePath``). Nothing is cached, so the value
/// holds no state to share.
///
/// It never shows the future: quotes are the last ones at or before `clock.now()`, bars are only
/// those completed by then, and option quotes are priced as of the underlying quote's instant.
///
/// Quotes: during a session the price is the path's price at the start of the current minute, with
/// that minute as the timestamp; outside sessions it is the last session's close, stamped with the
/// close. Stocks and ETFs are quoted symmetrically around that price, half a basis point each
/// side but at least a cent (so the spread is two cents or more and the quote's mid is the bar's
/// open), sizes 1–20 round lots. Indexes are a computed level: bid = ask = the level, sizes 0.
public struct SimulatedMarket: MarketDataProvider {
    public let source = "simulated"
    public let seed: UInt64

    private let clock: any MarketClock
    private let calendar: NYSECalendar
    private let path: SimulatedPricePath
    private let options: SimulatedOptionChain

    public init(seed: UInt64 = 1, clock: any MarketClock, calendar: NYSECalendar = NYSECalendar()) {
        self.seed = seed
        self.clock = clock
        self.calendar = calendar
        self.path = SimulatedPricePath(seed: seed, calendar: calendar)
        self.options = SimulatedOptionChain(calendar: calendar)
    }

    // MARK: - Stocks, ETFs, indexes

    public func tradableStocks() async throws -> Set<String> {
        Set(Self.universe.filter { $0.kind != .index }.map(\.symbol))
    }

    public func latestQuotes(_ symbols: [String]) async throws -> [String: Quote] {
        stockQuotes(symbols, at: clock.now())
    }

    /// Any instant up to now: the path is a pure function of the seed, so history costs nothing.
    public func quotes(_ symbols: [String], at instant: Date) async throws -> [String: Quote]? {
        let asOf = min(instant, clock.now())
        let options = symbols.compactMap { OptionSymbol.isOptionSymbol($0) ? try? OptionSymbol(parsing: $0) : nil }
        var quotes = stockQuotes(symbols.filter { !OptionSymbol.isOptionSymbol($0) }, at: asOf)
        for (symbol, quote) in optionQuotes(options, at: asOf) { quotes[symbol.description] = quote }
        return quotes
    }

    private func stockQuotes(_ symbols: [String], at instant: Date) -> [String: Quote] {
        let point = lastPoint(atOrBefore: instant)
        var quotes: [String: Quote] = [:]
        for symbol in symbols where quotes[symbol] == nil {
            guard let instrument = Self.instruments[symbol] else { continue }
            quotes[symbol] = quote(instrument, at: point)
        }
        return quotes
    }

    /// Only completed bars (`start + 60 s ≤ now`); a known symbol with none in the range maps to an
    /// empty array, an unknown one is absent.
    public func minuteBars(_ symbols: [String], from: Date, to: Date) async throws -> [String: [Bar]] {
        var instruments: [SimulatedInstrument] = []
        var bars: [String: [Bar]] = [:]
        for symbol in symbols where bars[symbol] == nil {
            guard let instrument = Self.instruments[symbol] else { continue }
            instruments.append(instrument)
            bars[symbol] = []
        }
        let now = clock.now()
        let end = min(to, now)
        guard !instruments.isEmpty, from < end else { return bars }

        for session in calendar.sessions(from: MarketDate(containing: from), through: MarketDate(containing: end)) {
            let day = path.day(session)
            // Minutes whose start is in [from, to) and whose end is at or before now.
            let first = max(0, Int((from.timeIntervalSince(session.open) / 60).rounded(.up)))
            let startLimit = Int((to.timeIntervalSince(session.open) / 60).rounded(.up))
            let completedLimit = Int((now.timeIntervalSince(session.open) / 60).rounded(.down))
            let last = min(day.minutes, startLimit, completedLimit)
            guard first < last else { continue }
            for instrument in instruments {
                let logPrices = path.logPrices(instrument, day, path.anchors(instrument, day))
                for minute in first..<last {
                    bars[instrument.symbol]!.append(
                        path.bar(instrument, day, minute: minute, from: logPrices[minute], to: logPrices[minute + 1]))
                }
            }
        }
        return bars
    }

    // MARK: - Options

    public func optionChain(underlying: String, expiry: MarketDate) async throws -> [OptionChainEntry] {
        let now = clock.now()
        guard let instrument = Self.instruments[underlying], options.isListed(expiry, at: now), let close = options.expiryClose(expiry)
        else { return [] }
        let point = lastPoint(atOrBefore: now)
        let spot = mid(instrument, at: point)
        let years = SimulatedOptionChain.yearsToExpiry(from: point.timestamp, to: close)
        let root = options.root(for: instrument, expiry: expiry)
        let strikes = options.strikes(
            for: instrument, spot: spot, yearsToExpiry: Double(years.micros) / Double(Decimal6.microsPerUnit))
        var entries: [OptionChainEntry] = []
        for right in OptionSymbol.Right.allCases {
            for strike in strikes {
                guard let symbol = try? OptionSymbol(root: root, expiry: expiry, right: right, strike: strike) else { continue }
                let inputs = options.inputs(instrument, right: right, strike: strike, spot: spot, years: years)
                entries.append(options.entry(symbol, inputs: inputs, timestamp: point.timestamp, noise: path.noise))
            }
        }
        return entries.sorted { $0.symbol < $1.symbol }
    }

    /// Any contract on a known underlying (index roots such as SPXW resolve to their index) with a
    /// valid expiry that has not passed, at any strike; expired contracts are absent.
    public func latestOptionQuotes(_ symbols: [OptionSymbol]) async throws -> [OptionSymbol: Quote] {
        optionQuotes(symbols, at: clock.now())
    }

    private func optionQuotes(_ symbols: [OptionSymbol], at now: Date) -> [OptionSymbol: Quote] {
        let point = lastPoint(atOrBefore: now)
        var spots: [String: Decimal6] = [:]
        var quotes: [OptionSymbol: Quote] = [:]
        for symbol in symbols where quotes[symbol] == nil {
            let underlying = IndexOptionRoots.underlyingIndex(ofRoot: symbol.root)
            guard let instrument = Self.instruments[underlying], options.isExpiry(symbol.expiry),
                let close = options.expiryClose(symbol.expiry), now < close
            else { continue }
            let spot = spots[underlying] ?? mid(instrument, at: point)
            spots[underlying] = spot
            let years = SimulatedOptionChain.yearsToExpiry(from: point.timestamp, to: close)
            let inputs = options.inputs(instrument, right: symbol.right, strike: symbol.strike, spot: spot, years: years)
            quotes[symbol] = options.quote(symbol, inputs: inputs, timestamp: point.timestamp, noise: path.noise)
        }
        return quotes
    }

    // MARK: - Corporate actions

    public func corporateActions(from: MarketDate, through: MarketDate, symbols: [String]) async throws -> [CorporateAction] {
        guard from <= through else { return [] }
        let instruments = symbols.isEmpty ? Self.universe : Set(symbols).compactMap { Self.instruments[$0] }
        let schedule = path.corporateActions
        var actions: [CorporateAction] = []
        for year in from.year...through.year {
            for instrument in instruments {
                actions += schedule.actions(of: instrument, year: year).filter { (from...through).contains($0.exDate) }
            }
        }
        return actions.sorted { ($0.exDate, $0.id) < ($1.exDate, $1.id) }
    }

    // MARK: - Prices

    /// Where on the path an instant's quote comes from: a minute of a session, or a session's close.
    private struct PathPoint {
        let day: SimulatedPricePath.Day
        let minute: Int
        let timestamp: Date
    }

    /// The minute in progress at `instant` during a session, else the close of the last session.
    private func lastPoint(atOrBefore instant: Date) -> PathPoint {
        let date = MarketDate(containing: instant)
        if let session = calendar.session(on: date), instant >= session.open {
            let day = path.day(session)
            guard instant < session.close else { return PathPoint(day: day, minute: day.minutes, timestamp: session.close) }
            let minute = min(Int((instant.timeIntervalSince(session.open) / 60).rounded(.down)), day.minutes - 1)
            return PathPoint(day: day, minute: minute, timestamp: day.instant(ofMinute: minute))
        }
        // A trading day precedes every date the calendar can compute, so the session exists.
        let session = calendar.session(on: calendar.previousTradingDay(before: date))!
        let day = path.day(session)
        return PathPoint(day: day, minute: day.minutes, timestamp: session.close)
    }

    /// The path's price at `point`, on the cent grid.
    private func mid(_ instrument: SimulatedInstrument, at point: PathPoint) -> Decimal6 {
        let anchors = path.anchors(instrument, point.day)
        let logPrice = path.logPrice(instrument, point.day, anchors, minute: point.minute)
        return SimulatedPricePath.cents(path.price(instrument, logPrice: logPrice))
    }

    private func quote(_ instrument: SimulatedInstrument, at point: PathPoint) -> Quote {
        let mid = mid(instrument, at: point)
        guard instrument.kind != .index else {
            return Quote(symbol: instrument.symbol, bid: mid, ask: mid, bidSize: 0, askSize: 0, timestamp: point.timestamp)
        }
        // Half a basis point of the price each side, rounded to the cent, at least one cent.
        let cents = mid.micros / 10_000
        let halfSpread = Decimal6(micros: max(1, (cents + 10_000) / 20_000) * 10_000)
        let minute = Int((point.timestamp.timeIntervalSince1970 / 60).rounded(.down))
        let sizes = path.noise.bits(.quoteSize, SimulatedNoise.stableHash(instrument.symbol), minute)
        return Quote(
            symbol: instrument.symbol, bid: max(mid - halfSpread, BlackScholes.minimumTick), ask: mid + halfSpread,
            bidSize: Int64(sizes % 20) + 1, askSize: Int64((sizes >> 32) % 20) + 1, timestamp: point.timestamp)
    }
}

import Foundation
import Logging
import MBTDomain
import MBTMarketData
import MBTStorage

/// `mbt.evaluate_resting_orders`: walks the one-minute bars of every symbol with resting orders,
/// in bar order, from the symbol's watermark to the last published minute, and lets the fill
/// engine judge the orders each bar may have crossed (docs/fill-rules.md).
///
/// After downtime the same walk is the catch-up: every missed bar is evaluated in order (a bar
/// that crossed a limit and came back still fills it), DAY orders expire at the closes passed on
/// the way, and the number of bars walked before the live minute is recorded on the watermark.
/// Live, replayed and simulated runs share this path; only the clock and the provider differ.
public struct RestingOrderEvaluator: Sendable {
    public let database: any DatabaseClient
    public let marketData: MarketDataService
    public let calendar: NYSECalendar
    public let fillSettings: FillSettings
    public let settings: BarLoopSettings
    /// This engine's name in `bar_watermarks.lease_owner`.
    public let owner: String
    /// Measures leases, which are about processes being alive, not about market time.
    public let leaseClock: any MarketClock
    public let monitor: BarLoopMonitor
    private let restingOrders: RestingOrderStore
    private let watermarks: BarWatermarkStore
    private let settlement: RestingOrderSettlement
    private let barCloses: BarCloseBook
    private let combos: RestingComboEvaluator
    private let logger: Logger

    public init(
        database: any DatabaseClient, marketData: MarketDataService, calendar: NYSECalendar = NYSECalendar(),
        fillSettings: FillSettings = .standard, settings: BarLoopSettings = .standard, owner: String, leaseClock: any MarketClock,
        postFillHook: any PostFillHook = NoPostFillHook(), barCloses: BarCloseBook = BarCloseBook(),
        monitor: BarLoopMonitor = BarLoopMonitor(), limits: OrderLimits = .standard, logger: Logger
    ) {
        self.database = database
        self.marketData = marketData
        self.calendar = calendar
        self.fillSettings = fillSettings
        self.settings = settings
        self.owner = owner
        self.leaseClock = leaseClock
        self.monitor = monitor
        self.restingOrders = RestingOrderStore(database: database)
        self.watermarks = BarWatermarkStore(database: database)
        let writer = LedgerWriter(database: database, postFillHook: postFillHook)
        self.settlement = RestingOrderSettlement(
            database: database, writer: writer, settings: settings,
            barCloses: barCloses)
        self.barCloses = barCloses
        self.combos = RestingComboEvaluator(
            marketData: marketData, calendar: calendar, fillSettings: fillSettings, settings: settings, limits: limits, owner: owner,
            leaseClock: leaseClock, store: RestingComboStore(database: database), watermarks: watermarks,
            settlement: RestingComboSettlement(database: database, writer: writer, settings: settings, barCloses: barCloses),
            logger: logger)
        self.logger = logger
    }

    /// What one tick did.
    public struct TickReport: Sendable, Hashable {
        /// Symbols this engine held.
        public var symbols = 0
        /// Bars walked.
        public var bars = 0
        /// Bars walked before the newest minute: the catch-up.
        public var barsCaughtUp = 0
        public var outcomes = RestingOrderSettlement.Outcomes()
        /// The start of the newest minute walked.
        public var lastBarAt: Date?
        /// Minutes of the resting multi-leg book judged before the newest one: its catch-up.
        public var comboMinutesCaughtUp = 0
        /// Time spent per phase (finding symbols, claiming, fetching, finding crossed orders,
        /// writing, sweeping expiries, advancing watermarks, quote fallback).
        public var phases: [String: Duration] = [:]
    }

    /// Bars starting before this instant are complete and published at `now`.
    public func windowEnd(at now: Date) -> Date {
        Self.minuteFloor(now.addingTimeInterval(-settings.barSettleDelay))
    }

    /// Walks every held symbol up to the last published minute, then lets the latest quote judge
    /// the symbols that had no bar in that minute.
    public func tick() async throws -> TickReport {
        let now = marketData.clock.now()
        let started = ContinuousClock.now
        do {
            let report = try await walk(now: now)
            await monitor.record(report, at: now)
            TradingMetrics.tick(report, at: now, took: ContinuousClock.now - started)
            return report
        } catch {
            await monitor.recordFailure(error, at: now)
            TradingMetrics.tickFailed()
            throw error
        }
    }

    private func walk(now: Date) async throws -> TickReport {
        let profile = TickProfile()
        var report = try await walk(now: now, profile: profile)
        let combos = try await profile.measure("resting combos") { try await self.combos.walk(now: now, end: windowEnd(at: now)) }
        report.outcomes += combos.outcomes
        report.comboMinutesCaughtUp = combos.minutesCaughtUp
        report.phases = profile.phases
        return report
    }

    private func walk(now: Date, profile: TickProfile) async throws -> TickReport {
        var report = TickReport()
        let end = windowEnd(at: now)
        let resting = try await profile.measure("find symbols") { try await restingOrders.symbols() }
        let leaseNow = leaseClock.now()
        let held = try await profile.measure("claim symbols") {
            try await watermarks.fastForwardIdle(to: end.addingTimeInterval(-60), at: now)
            try await createWatermarks(for: resting, at: now)
            return try await watermarks.claim(
                resting, owner: owner, now: leaseNow, until: leaseNow.addingTimeInterval(settings.leaseDuration))
        }
        report.symbols = held.count
        guard !held.isEmpty else { return report }
        let walk = CatchUpWalk(
            firstMinute: Dictionary(uniqueKeysWithValues: held.map { ($0.symbol, $0.lastBarAt.addingTimeInterval(60)) }), end: end,
            calendar: calendar)
        let symbols = held.map(\.symbol)
        let bars = try await profile.measure("fetch bars") { try await walk.bars(from: marketData) }
        let liveMinute = end.addingTimeInterval(-60)
        var caughtUp: [String: Int] = [:]
        // Walking many minutes (a catch-up), the book tops let most bars be passed over in memory;
        // they only ever lag behind orders leaving the book, which makes them wider, never narrower.
        let steps = walk.steps(bars)
        var tops = steps.count > 1 ? try await profile.measure("find book tops") { try await restingOrders.tops(symbols) } : nil
        for step in steps {
            switch step {
            case .close(let close):
                report.outcomes += try await sweepExpired(at: close, symbols: symbols, profile: profile)
            case .minute(let start, let minuteBars):
                barCloses.record(minuteBars)
                let crossing =
                    tops.map { tops in
                        minuteBars.filter { tops[$0.symbol]?.mayBeCrossed(low: $0.low, high: $0.high) ?? false }
                    } ?? minuteBars
                if !crossing.isEmpty, let session = calendar.session(containing: start) {
                    let (outcomes, changed) = try await evaluate(crossing, session: session, profile: profile)
                    report.outcomes += outcomes
                    if tops != nil, !changed.isEmpty {
                        let refreshed = try await profile.measure("find book tops") { try await restingOrders.tops(changed) }
                        for symbol in changed { tops?[symbol] = refreshed[symbol] }
                    }
                }
                report.bars += minuteBars.count
                report.lastBarAt = start
                if start < liveMinute {
                    for bar in minuteBars { caughtUp[bar.symbol, default: 0] += 1 }
                }
            }
        }
        report.outcomes += try await sweepExpired(at: end, symbols: symbols, profile: profile)
        report.barsCaughtUp = caughtUp.values.reduce(0, +)
        if report.barsCaughtUp > 0 {
            logger.info("bar loop caught up", metadata: ["bars": "\(report.barsCaughtUp)", "symbols": "\(caughtUp.count)"])
        }
        try await profile.measure("advance watermarks") {
            try await watermarks.advance(symbols, to: liveMinute, caughtUp: caughtUp, owner: owner, at: now)
        }
        let barred = Set(bars.filter { $0.start == liveMinute }.map(\.symbol))
        report.outcomes += try await quoteFallback(symbols.filter { !barred.contains($0) }, now: now, profile: profile)
        return report
    }

    /// Symbols new to the loop are walked from the minute of their first resting order.
    private func createWatermarks(for symbols: [String], at now: Date) async throws {
        let known = Set(try await watermarks.watermarks(symbols).map(\.symbol))
        let new = symbols.filter { !known.contains($0) }
        guard !new.isEmpty else { return }
        try await watermarks.create(try await restingOrders.firstSubmissions(new).mapValues(Self.minuteFloor), at: now)
    }

    /// Extends this engine's claims by a lease from now.
    public func renewLeases() async throws {
        let now = leaseClock.now()
        try await watermarks.renew(owner: owner, until: now.addingTimeInterval(settings.leaseDuration))
    }

    /// Whether another engine's claims have lapsed, so a tick now would take its symbols over.
    public func othersHaveLapsed() async throws -> Bool {
        let now = leaseClock.now()
        return try await watermarks.hasLapsedLeases(except: owner, since: now.addingTimeInterval(-2 * settings.leaseDuration), now: now)
    }

    /// Hands this engine's symbols back so another engine takes them at once (at shutdown).
    public func release() async throws {
        try await watermarks.release(owner: owner)
    }

    // MARK: - Evaluation

    /// One minute: the orders its bars may have crossed, judged by the fill engine; also returns
    /// the symbols whose resting orders changed.
    private func evaluate(
        _ bars: [Bar], session: TradingSession, profile: TickProfile
    ) async throws -> (RestingOrderSettlement.Outcomes, [String]) {
        let bySymbol = Dictionary(uniqueKeysWithValues: bars.map { ($0.symbol, $0) })
        let ranges = bars.map { RestingOrderStore.PriceRange(symbol: $0.symbol, low: $0.low, high: $0.high, start: $0.start) }
        let candidates = try await profile.measure("find crossed orders") { try await restingOrders.candidates(for: ranges) }
        let decisions = candidates.compactMap { order -> (PaperOrder, FillDecision)? in
            guard let resting = RestingOrder(order), let bar = bySymbol[order.symbol] else { return nil }
            return (order, FillEngine.evaluate(resting, bar: bar, session: session, calendar: calendar, settings: fillSettings))
        }
        let outcomes = try await profile.measure("write fills") { try await settlement.apply(decisions, at: bars[0].start) }
        return (outcomes, Array(Set(decisions.filter { $0.1 != .rest }.map(\.0.symbol))))
    }

    /// Resting orders whose time in force ended by `instant`, in the held symbols.
    private func sweepExpired(at instant: Date, symbols: [String], profile: TickProfile) async throws -> RestingOrderSettlement.Outcomes {
        let cutoffs = FillEngine.expiryCutoffs(at: instant, calendar: calendar, settings: fillSettings)
        let orders = try await profile.measure("find expired orders") {
            try await restingOrders.expiring(dayBefore: cutoffs.dayOrdersBefore, gtcBefore: cutoffs.gtcOrdersBefore, symbols: symbols)
        }
        let decisions = orders.compactMap { order in
            RestingOrder(order).flatMap { FillEngine.expiry($0, now: instant, calendar: calendar, settings: fillSettings) }
                .map { (order, $0) }
        }
        return try await profile.measure("write expiries") { try await settlement.apply(decisions, at: instant) }
    }

    /// In session, the symbols without a bar in the newest minute (options, thin stocks) are judged
    /// on their latest quote.
    private func quoteFallback(_ symbols: [String], now: Date, profile: TickProfile) async throws -> RestingOrderSettlement.Outcomes {
        guard !symbols.isEmpty, let session = calendar.session(containing: now) else { return .init() }
        return try await profile.measure("quote fallback") { try await quoteFallback(symbols, now: now, session: session) }
    }

    private func quoteFallback(_ symbols: [String], now: Date, session: TradingSession) async throws -> RestingOrderSettlement.Outcomes {
        let quotes = try await marketData.anyQuotes(symbols, for: [])
        let ranges = quotes.values.map { RestingOrderStore.PriceRange(symbol: $0.symbol, low: $0.bid, high: $0.ask, start: now) }
        let decisions = try await restingOrders.candidates(for: ranges).compactMap { order -> (PaperOrder, FillDecision)? in
            guard let resting = RestingOrder(order), let quote = quotes[order.symbol] else { return nil }
            return (order, FillEngine.onQuote(resting, quote: quote, now: now, session: session, settings: fillSettings))
        }
        return try await settlement.apply(decisions, at: now, quotes: quotes)
    }

    static func minuteFloor(_ instant: Date) -> Date {
        Date(timeIntervalSince1970: (instant.timeIntervalSince1970 / 60).rounded(.down) * 60)
    }
}

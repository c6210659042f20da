import Foundation
import Logging
import MBTDomain
import MBTMarketData
import MBTStorage

/// The bar loop's walk over resting multi-leg limits (docs/multi-leg.md). Options have no bars of
/// their own, so a combo is judged on its legs' quotes: it fills, all legs at once and each at its
/// mid, when the net mid is at or better than the net limit (``ComboLimitRule``).
///
/// The combo book has one watermark (``BarWatermarkStore/comboBook``), leased like a symbol's, so
/// one engine judges it and a restarted one catches up: every minute missed is judged on the
/// quotes of that minute where the market keeps them (simulated, replay), and DAY and GTC combos
/// expire at the closes passed on the way. Where the market serves only latest quotes (Alpaca),
/// the missed closes are swept and the combos judged once on the current quotes, under a fill
/// rule that says so.
struct RestingComboEvaluator: Sendable {
    let marketData: MarketDataService
    let calendar: NYSECalendar
    let fillSettings: FillSettings
    let settings: BarLoopSettings
    let limits: OrderLimits
    let owner: String
    let leaseClock: any MarketClock
    let store: RestingComboStore
    let watermarks: BarWatermarkStore
    let settlement: RestingComboSettlement
    let logger: Logger

    /// What one walk did.
    struct Report: Sendable {
        var outcomes = RestingOrderSettlement.Outcomes()
        /// Minutes judged before the live one.
        var minutesCaughtUp = 0
    }

    /// Walks the combo book from its watermark up to `end` (exclusive), then judges it live at `now`.
    func walk(now: Date, end: Date) async throws -> Report {
        let key = BarWatermarkStore.comboBook
        let liveMinute = end.addingTimeInterval(-60)
        guard let first = try await store.firstSubmission() else {
            try await watermarks.fastForward(key, to: liveMinute, at: now)
            return Report()
        }
        try await watermarks.create([key: RestingOrderEvaluator.minuteFloor(first)], at: now)
        let leaseNow = leaseClock.now()
        guard
            let held = try await watermarks.claim(
                [key], owner: owner, now: leaseNow, until: leaseNow.addingTimeInterval(settings.leaseDuration)
            )
            .first
        else { return Report() }
        var book = try await store.resting().compactMap { RestingCombo(parent: $0.parent, legs: $0.legs, limits: limits) }
        var report = Report()
        let missed = minutes(from: held.lastBarAt.addingTimeInterval(60), before: liveMinute)
        let closes = self.closes(after: held.lastBarAt, through: end)
        var latestRule = FillRule.comboLimitAtMid
        if !missed.isEmpty, let history = try await catchUp(&book, minutes: missed, closes: closes) {
            report.outcomes += history
        } else {
            for close in closes { report.outcomes += try await sweep(&book, at: close) }
            if !missed.isEmpty { latestRule = .comboLimitAtLatestMid }
        }
        report.minutesCaughtUp = missed.count
        report.outcomes += try await sweep(&book, at: end)
        if calendar.session(containing: now) != nil {
            let quotes = try await marketData.anyQuotes(symbols(book), for: [])
            report.outcomes += try await judge(&book, quotes: quotes, at: now, rule: latestRule)
        }
        try await watermarks.advance([key], to: liveMinute, caughtUp: [key: missed.count], owner: owner, at: now)
        if !missed.isEmpty {
            logger.info("combo book caught up", metadata: ["minutes": "\(missed.count)", "rule": "\(latestRule.rawValue)"])
        }
        return report
    }

    /// Judges every missed minute on its own quotes, the closes among them in order; `nil` when
    /// the market keeps no quote history (nothing was judged).
    private func catchUp(_ book: inout [RestingCombo], minutes: [Date], closes: [Date]) async throws -> RestingOrderSettlement.Outcomes? {
        var outcomes = RestingOrderSettlement.Outcomes()
        var pendingCloses = closes[...]
        for minute in minutes {
            while let close = pendingCloses.first, close <= minute {
                outcomes += try await sweep(&book, at: close)
                pendingCloses = pendingCloses.dropFirst()
            }
            guard !book.isEmpty else { break }
            guard let quotes = try await marketData.quotes(symbols(book), at: minute, for: []) else { return nil }
            outcomes += try await judge(&book, quotes: quotes, at: minute, rule: .comboLimitAtMid)
        }
        for close in pendingCloses { outcomes += try await sweep(&book, at: close) }
        return outcomes
    }

    /// Fills the combos that cross on `quotes` at `instant`, and drops what closed from the book.
    private func judge(_ book: inout [RestingCombo], quotes: [String: Quote], at instant: Date, rule: FillRule) async throws
        -> RestingOrderSettlement.Outcomes
    {
        let crossed = book.compactMap { resting -> RestingComboSettlement.Entry? in
            guard resting.parent.submittedAt <= instant,
                case .success(let fill?) = ComboLimitRule.fill(
                    resting.combo, quotes: quotes, now: instant, maxAge: fillSettings.maximumQuoteAge)
            else { return nil }
            return (resting, .fill(fill, rule: rule))
        }
        return try await settle(crossed, in: &book, at: instant, quotes: quotes)
    }

    /// Closes the combos whose time in force ended by `instant`, or whose first leg has expired.
    private func sweep(_ book: inout [RestingCombo], at instant: Date) async throws -> RestingOrderSettlement.Outcomes {
        let due = book.compactMap { resting -> RestingComboSettlement.Entry? in
            let parent = resting.parent
            let asOrder = RestingOrder(
                instrument: resting.combo.legs[0].instrument, side: parent.side, quantity: parent.quantity, type: parent.type,
                limitPrice: parent.limitPrice, timeInForce: parent.timeInForce, submittedAt: parent.submittedAt)
            if case .expire(let reason) = FillEngine.expiry(asOrder, now: instant, calendar: calendar, settings: fillSettings) {
                return (resting, .close(.expired, reason: reason.description))
            }
            if let expiry = resting.firstLegExpiry,
                let close = calendar.session(on: expiry)?.close ?? Optional(expiry.at(hour: 16, minute: 0)),
                instant >= close
            {
                return (resting, .close(.canceled, reason: "a leg's contract expired on \(expiry) before the order filled"))
            }
            return nil
        }
        return try await settle(due, in: &book, at: instant, quotes: [:])
    }

    private func settle(_ entries: [RestingComboSettlement.Entry], in book: inout [RestingCombo], at instant: Date, quotes: [String: Quote])
        async throws -> RestingOrderSettlement.Outcomes
    {
        guard !entries.isEmpty else { return .init() }
        let (outcomes, closed) = try await settlement.apply(entries, at: instant, quotes: quotes)
        book.removeAll { closed.contains($0.parent.id) }
        return outcomes
    }

    private func symbols(_ book: [RestingCombo]) -> [String] {
        Array(Set(book.flatMap { $0.combo.legs.map(\.symbol) }))
    }

    /// Session minutes in `[from, before)`.
    private func minutes(from start: Date, before end: Date) -> [Date] {
        guard start < end else { return [] }
        return calendar.sessions(from: MarketDate(containing: start), through: MarketDate(containing: end)).flatMap { session in
            stride(from: max(session.open, start).timeIntervalSince1970, to: min(session.close, end).timeIntervalSince1970, by: 60)
                .map { Date(timeIntervalSince1970: $0) }
        }
    }

    /// Session closes in `(after, through]`.
    private func closes(after start: Date, through end: Date) -> [Date] {
        guard start < end else { return [] }
        return calendar.sessions(from: MarketDate(containing: start), through: MarketDate(containing: end)).map(\.close)
            .filter { $0 > start && $0 <= end }
    }
}

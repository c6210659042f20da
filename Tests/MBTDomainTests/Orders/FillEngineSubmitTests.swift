import Foundation
import MBTDomain
import Testing

/// Submission: market and limit orders against the quote, in and out of the regular session.
@Suite("Fill engine: submission")
struct FillEngineSubmitTests {
    typealias F = OrderFixtures

    /// Tuesday 2026-11-24, a regular session.
    static let inSession = F.ny("2026-11-24", 10, 0)

    static func submit(_ order: RestingOrder, quote: Quote?, now: Date = inSession, settings: FillSettings = .standard) -> FillDecision {
        FillEngine.onSubmit(order, quote: quote, now: now, session: F.session(at: now), settings: settings)
    }

    // MARK: Market orders in the session

    @Test(
        arguments: [
            // Equities take the far side; slippage is half the spread.
            (OrderInstrument.equity(F.stock), OrderSide.buy, Decimal6("100.10"), FillPriceSource.ask, Decimal6("0.05")),
            (.equity(F.stock), .sell, "100.00", .bid, "0.05"),
            // Options trade at the mid: no slippage.
            (.option(F.call), .buy, "100.05", .mid, "0"),
            (.option(F.call), .sell, "100.05", .mid, "0"),
        ])
    func marketOrderInSessionFillsFromTheQuote(
        instrument: OrderInstrument, side: OrderSide, price: Decimal6, source: FillPriceSource, slippage: Decimal6
    ) {
        let order = F.order(instrument, side, .market, submittedAt: Self.inSession)
        let quote = F.quote(instrument.symbol, at: Self.inSession.addingTimeInterval(-1))
        let fill = Self.submit(order, quote: quote).fill
        #expect(fill?.price == price)
        #expect(fill?.priceSource == source)
        #expect(fill?.rule == .marketAtQuote)
        #expect(fill?.slippageBasis == slippage)
        #expect(fill?.nbboBid == "100.00")
        #expect(fill?.nbboAsk == "100.10")
        #expect(fill?.pricedAt == quote.timestamp)
        #expect(fill?.quantity == 10)
        #expect(fill?.multiplier == instrument.multiplier)
    }

    @Test(
        arguments: [
            ("weekend", F.ny("2026-11-28", 11, 0)),
            ("Thanksgiving", F.ny("2026-11-26", 11, 0)),
            ("pre-market", F.ny("2026-11-24", 8, 0)),
            ("one second before the open", F.ny("2026-11-24", 9, 29, 59)),
            ("at the regular close", F.ny("2026-11-24", 16, 0)),
            ("after the close", F.ny("2026-11-24", 17, 30)),
            ("after an early close", F.ny("2026-11-27", 14, 0)),
        ])
    func marketOrderOutsideTheSessionRests(_ label: String, now: Date) {
        for side in OrderSide.allCases {
            let order = F.order(side, .market, submittedAt: now)
            #expect(Self.submit(order, quote: F.quote(at: now), now: now) == .rest, "\(label) \(side)")
            #expect(Self.submit(order, quote: nil, now: now) == .rest, "\(label) \(side), no quote")
        }
    }

    @Test func marketOrderAtTheOpenAndBeforeAnEarlyCloseFills() {
        for now in [F.ny("2026-11-24", 9, 30), F.ny("2026-11-27", 12, 59, 59)] {
            let decision = Self.submit(F.order(.buy, .market, submittedAt: now), quote: F.quote(at: now), now: now)
            #expect(decision.fill?.price == "100.10")
        }
    }

    @Test(
        arguments: [
            ("missing", nil as Quote?),
            ("stale", F.quote(at: inSession.addingTimeInterval(-61))),
            ("crossed", F.quote(bid: "100.20", ask: "100.10", at: inSession)),
            ("no bid", F.quote(bid: "0", ask: "100.10", at: inSession)),
            ("no ask", F.quote(bid: "100.00", ask: "0", at: inSession)),
            ("another symbol", F.quote("MSFT", at: inSession)),
        ])
    func marketOrderWithoutAUsableQuoteIsRejected(_ label: String, quote: Quote?) {
        for instrument in [OrderInstrument.equity(F.stock), .option(F.call)] {
            for side in OrderSide.allCases {
                let order = F.order(instrument, side, .market, submittedAt: Self.inSession)
                let adjusted = quote.map { q in
                    F.quote(q.symbol == F.stock ? instrument.symbol : q.symbol, bid: q.bid, ask: q.ask, at: q.timestamp)
                }
                guard case .reject(let rejection) = Self.submit(order, quote: adjusted) else {
                    Issue.record("\(label): expected a rejection for \(instrument) \(side)")
                    continue
                }
                #expect(rejection.code == .noUsableQuote, "\(label)")
            }
        }
    }

    @Test func quoteAgeLimitIsInclusiveAndConfigurable() {
        let order = F.order(.buy, .market, submittedAt: Self.inSession)
        let sixtySecondsOld = F.quote(at: Self.inSession.addingTimeInterval(-60))
        #expect(Self.submit(order, quote: sixtySecondsOld).fill != nil)
        let strict = FillSettings(maximumQuoteAge: 5)
        guard case .reject = Self.submit(order, quote: sixtySecondsOld, settings: strict) else {
            Issue.record("expected a stale-quote rejection with a 5 s limit")
            return
        }
    }

    // MARK: Limit orders

    @Test(
        arguments: [
            // Buy: marketable when ask ≤ L, filled at the ask (price improvement kept).
            (OrderInstrument.equity(F.stock), OrderSide.buy, Decimal6("101.00"), Decimal6?.some("100.10")),
            (.equity(F.stock), .buy, "100.10", "100.10"),
            (.equity(F.stock), .buy, "100.09", nil),
            (.equity(F.stock), .buy, "100.00", nil),
            // Sell: marketable when bid ≥ L, filled at the bid.
            (.equity(F.stock), .sell, "99.00", "100.00"),
            (.equity(F.stock), .sell, "100.00", "100.00"),
            (.equity(F.stock), .sell, "100.01", nil),
            // Options against the mid (100.05).
            (.option(F.call), .buy, "100.05", "100.05"),
            (.option(F.call), .buy, "100.04", nil),
            (.option(F.call), .sell, "100.05", "100.05"),
            (.option(F.call), .sell, "100.06", nil),
        ])
    func limitOrderAtSubmission(instrument: OrderInstrument, side: OrderSide, limit: Decimal6, expected: Decimal6?) {
        let order = F.order(instrument, side, .limit, limit: limit, submittedAt: Self.inSession)
        let decision = Self.submit(order, quote: F.quote(instrument.symbol, at: Self.inSession))
        if let expected {
            #expect(decision.fill?.price == expected)
            #expect(decision.fill?.rule == .limitMarketableAtQuote)
        } else {
            #expect(decision == .rest)
        }
    }

    @Test func marketableLimitOutsideTheSessionRests() {
        let saturday = F.ny("2026-11-28", 11, 0)
        let order = F.order(.buy, .limit, limit: 200, submittedAt: saturday)
        #expect(Self.submit(order, quote: F.quote(at: saturday), now: saturday) == .rest)
    }

    @Test(arguments: [nil as Quote?, F.quote(at: inSession.addingTimeInterval(-600)), F.quote(bid: "101", ask: "100", at: inSession)])
    func limitOrderWithoutAUsableQuoteRests(quote: Quote?) {
        let order = F.order(.buy, .limit, limit: 200, submittedAt: Self.inSession)
        #expect(Self.submit(order, quote: quote) == .rest)
    }

    // MARK: Immediate or cancel

    @Test func iocMarketOrderFillsInSession() {
        let order = F.order(.sell, .market, tif: .ioc, submittedAt: Self.inSession)
        #expect(Self.submit(order, quote: F.quote(at: Self.inSession)).fill?.price == "100.00")
    }

    @Test func iocMarketableLimitFills() {
        let order = F.order(.buy, .limit, limit: "100.50", tif: .ioc, submittedAt: Self.inSession)
        #expect(Self.submit(order, quote: F.quote(at: Self.inSession)).fill?.price == "100.10")
    }

    @Test(arguments: OrderSide.allCases)
    func iocLimitNotMarketableIsCanceled(side: OrderSide) {
        let limit: Decimal6 = side == .buy ? "99.00" : "101.00"
        let expectedPrice: Decimal6 = side == .buy ? "100.10" : "100.00"
        let order = F.order(side, .limit, limit: limit, tif: .ioc, submittedAt: Self.inSession)
        let decision = Self.submit(order, quote: F.quote(at: Self.inSession))
        #expect(decision == .cancel(.notMarketable(limit: limit, marketPrice: expectedPrice)))
        if case .cancel(let reason) = decision { #expect(reason.code == "ioc_not_marketable") }
    }

    @Test(arguments: OrderType.allCases)
    func iocOutsideTheSessionIsCanceled(type: OrderType) {
        let sunday = F.ny("2026-11-29", 12, 0)
        let order = F.order(.buy, type, limit: type == .limit ? 200 : nil, tif: .ioc, submittedAt: sunday)
        #expect(Self.submit(order, quote: F.quote(at: sunday), now: sunday) == .cancel(.marketClosed))
    }

    @Test func iocLimitWithoutAQuoteIsCanceledWithTheQuoteProblem() {
        let order = F.order(.buy, .limit, limit: 200, tif: .ioc, submittedAt: Self.inSession)
        guard case .cancel(.noUsableQuote(let reason)) = Self.submit(order, quote: nil) else {
            Issue.record("expected a no-quote cancel")
            return
        }
        #expect(reason.contains("AAPL"))
    }

    @Test func iocMarketWithoutAQuoteIsRejected() {
        let order = F.order(.buy, .market, tif: .ioc, submittedAt: Self.inSession)
        guard case .reject(let rejection) = Self.submit(order, quote: nil) else {
            Issue.record("expected a rejection")
            return
        }
        #expect(rejection.code == .noUsableQuote)
    }

    // MARK: Notional

    @Test(
        arguments: [
            // Stock: price × shares.
            (Decimal6("187.25"), Decimal6(10), Int64(1), Decimal6("1872.50")),
            ("0.1234", "0.5", 1, "0.0617"),
            // Options: premium × contracts × 100.
            ("2.15", 3, 100, "645"),
            // Sub-micro products round half-even: 0.000001 × 0.5 = 0.0000005 → 0.
            ("0.000001", "0.5", 1, "0"),
            ("0.000003", "0.5", 1, "0.000002"),
        ])
    func notionalIsPriceTimesQuantityTimesMultiplier(price: Decimal6, quantity: Decimal6, multiplier: Int64, expected: Decimal6) throws {
        let fill = Fill(
            symbol: "X", side: .buy, price: price, quantity: quantity, multiplier: multiplier, rule: .marketAtQuote, priceSource: .ask,
            nbboBid: nil, nbboAsk: nil, slippageBasis: nil, pricedAt: Self.inSession)
        #expect(try fill.notional() == expected)
    }

    @Test func explanationNamesTheRuleAndTheQuote() {
        let order = F.order(.buy, .market, submittedAt: Self.inSession)
        let text = Self.submit(order, quote: F.quote(at: Self.inSession)).fill?.explanation ?? ""
        #expect(text == "buy 10.000000 AAPL at 100.100000: market_at_quote (ask; NBBO 100.000000 / 100.100000)")
    }
}

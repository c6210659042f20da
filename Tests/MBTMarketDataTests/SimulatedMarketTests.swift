import Foundation
import MBTDomain
import MBTMarketData
import PropertyBased
import Testing

@Suite("Simulated market")
struct SimulatedMarketTests {
    static let stockSymbols = SimulatedMarket.universe.filter { $0.kind != .index }.map(\.symbol)
    static let allSymbols = SimulatedMarket.universe.map(\.symbol)
    static let cent: Int64 = 10_000

    /// `hour:minute` (plus `seconds`) New York time on `iso`.
    static func instant(_ iso: String, _ hour: Int, _ minute: Int, seconds: Int = 0) -> Date {
        MarketDate(iso: iso)!.at(hour: hour, minute: minute).addingTimeInterval(TimeInterval(seconds))
    }

    static func date(_ iso: String) -> MarketDate { MarketDate(iso: iso)! }

    static func market(at instant: Date, seed: UInt64 = 1) -> SimulatedMarket {
        SimulatedMarket(seed: seed, clock: FixedClock(instant))
    }

    static func quotes(at instant: Date, _ symbols: [String] = allSymbols, seed: UInt64 = 1) async throws -> [String: Quote] {
        try await market(at: instant, seed: seed).latestQuotes(symbols)
    }

    static func double(_ value: Decimal6) -> Double { Double(value.micros) / 1_000_000 }

    /// The documented grid for stocks and ETFs.
    static func stockIncrement(spot: Decimal6) -> Int64 {
        switch spot.micros {
        case ..<25_000_000: 1_000_000
        case ..<100_000_000: 2_500_000
        case ..<1_000_000_000: 5_000_000
        default: 10_000_000
        }
    }

    // MARK: - Determinism

    @Test func sameSeedGivesSameAnswersInAnyOrder() async throws {
        let now = Self.instant("2026-03-10", 11, 17, seconds: 23)
        let first = Self.market(at: now, seed: 42)
        let second = Self.market(at: now, seed: 42)

        let chainFirst = try await first.optionChain(underlying: "AAPL", expiry: Self.date("2026-03-20"))
        let quotesFirst = try await first.latestQuotes(Self.allSymbols)
        let barsFirst = try await first.minuteBars(["MSFT", "SPX"], from: Self.instant("2026-03-09", 9, 30), to: now)

        let barsSecond = try await second.minuteBars(["SPX", "MSFT"], from: Self.instant("2026-03-09", 9, 30), to: now)
        var quotesSecond: [String: Quote] = [:]
        for symbol in Self.allSymbols.reversed() {
            let one = try await second.latestQuotes([symbol])
            quotesSecond.merge(one) { old, _ in old }
        }
        let chainSecond = try await second.optionChain(underlying: "AAPL", expiry: Self.date("2026-03-20"))

        #expect(quotesFirst.count == Self.allSymbols.count)
        #expect(quotesFirst == quotesSecond)
        #expect(barsFirst == barsSecond)
        #expect(chainFirst == chainSecond)

        let other = try await Self.quotes(at: now, seed: 43)
        let differing = Self.allSymbols.filter { other[$0] != quotesFirst[$0] }
        #expect(differing.count > Self.allSymbols.count / 2)
    }

    @Test func concurrentCallersSeeTheSameQuotes() async throws {
        let market = Self.market(at: Self.instant("2026-05-06", 14, 3))
        let expected = try await market.latestQuotes(Self.allSymbols)
        let results = try await withThrowingTaskGroup(of: [String: Quote].self) { group in
            for offset in 0..<8 {
                group.addTask {
                    let rotated = Array(Self.allSymbols[offset...] + Self.allSymbols[..<offset])
                    return try await market.latestQuotes(rotated)
                }
            }
            return try await group.reduce(into: [[String: Quote]]()) { $0.append($1) }
        }
        #expect(results.count == 8)
        #expect(results.allSatisfy { $0 == expected })
    }

    // MARK: - Quotes

    @Test func quotesHoldStillOutsideSessions() async throws {
        // Friday 2026-11-20 close → weekend → Monday before the open.
        let fridayClose = try await Self.quotes(at: Self.instant("2026-11-20", 16, 0))
        for instant in [
            Self.instant("2026-11-20", 19, 45), Self.instant("2026-11-21", 12, 0), Self.instant("2026-11-22", 23, 59),
            Self.instant("2026-11-23", 9, 29, seconds: 59),
        ] {
            let quotes = try await Self.quotes(at: instant)
            #expect(quotes == fridayClose)
        }
        #expect(fridayClose["AAPL"]?.timestamp == Self.instant("2026-11-20", 16, 0))

        // Thanksgiving: Wednesday's close holds through Thursday until Friday's open.
        let wednesdayClose = try await Self.quotes(at: Self.instant("2026-11-25", 16, 0))
        let thanksgiving = try await Self.quotes(at: Self.instant("2026-11-26", 12, 0))
        #expect(thanksgiving == wednesdayClose)

        // Overnight, and the open moves away from the close.
        let tuesdayClose = try await Self.quotes(at: Self.instant("2026-11-24", 16, 0))
        let tuesdayNight = try await Self.quotes(at: Self.instant("2026-11-24", 22, 30))
        let wednesdayOpen = try await Self.quotes(at: Self.instant("2026-11-25", 9, 30))
        #expect(tuesdayNight == tuesdayClose)
        #expect(Self.stockSymbols.contains { wednesdayOpen[$0]?.bid != tuesdayClose[$0]?.bid })
    }

    @Test func quotesMoveDuringSessionsAndCarryTheMinute() async throws {
        let morning = try await Self.quotes(at: Self.instant("2026-11-24", 10, 0, seconds: 37))
        let afternoon = try await Self.quotes(at: Self.instant("2026-11-24", 15, 0))
        let moved = Self.allSymbols.filter { morning[$0]?.bid != afternoon[$0]?.bid }
        #expect(moved.count > Self.allSymbols.count * 3 / 4)
        #expect(morning.values.allSatisfy { $0.timestamp == Self.instant("2026-11-24", 10, 0) })

        let sameMinute = try await Self.quotes(at: Self.instant("2026-11-24", 10, 0, seconds: 5))
        #expect(sameMinute == morning)
    }

    @Test func spreadsArePositiveAndOnTheCent() async {
        await propertyCheck(input: Gen.int(in: 0...389), Gen.int(in: 0...59)) { minute, second in
            let instant = Self.instant("2026-07-15", 9, 30).addingTimeInterval(TimeInterval(minute * 60 + second))
            let quotes = try await Self.quotes(at: instant)
            for symbol in Self.stockSymbols {
                let quote = try #require(quotes[symbol])
                #expect(quote.bid.isPositive && quote.bid < quote.ask)
                #expect(quote.bid.micros % Self.cent == 0 && quote.ask.micros % Self.cent == 0)
                // Half a basis point each side, at least a cent: at most ~1 bp plus rounding.
                let spread = Self.double(quote.ask - quote.bid)
                #expect(spread <= max(0.02, Self.double(quote.mid) * 0.000_1 + 0.01))
                #expect((1...20).contains(quote.bidSize) && (1...20).contains(quote.askSize))
            }
            for index in ["SPX", "XSP", "NDX", "RUT"] {
                let quote = try #require(quotes[index])
                #expect(quote.bid == quote.ask && quote.bid.isPositive)
            }
        }
    }

    @Test func xspIsATenthOfSPX() async throws {
        for instant in [Self.instant("2026-02-02", 9, 30), Self.instant("2026-02-02", 12, 41), Self.instant("2026-02-07", 12, 0)] {
            let quotes = try await Self.quotes(at: instant, ["SPX", "XSP"])
            let spx = try #require(quotes["SPX"]).mid
            let xsp = try #require(quotes["XSP"]).mid
            #expect(abs(Self.double(spx) / 10 - Self.double(xsp)) <= 0.010_001)
        }
    }

    @Test func pricesStayPlausibleForACentury() async throws {
        var day = Self.date("2000-01-03")
        while day.year <= 2100 {
            let quotes = try await Self.quotes(at: day.at(hour: 12, minute: 0))
            for instrument in SimulatedMarket.universe {
                let ratio = Self.double(try #require(quotes[instrument.symbol]).mid) / Self.double(instrument.basePrice)
                #expect(ratio > 0.05 && ratio < 20, "\(instrument.symbol) on \(day): \(ratio)× base")
            }
            day = day.adding(days: 97)
        }
    }

    // MARK: - Bars

    @Test func barsOnlyInSessions() async throws {
        let market = Self.market(at: Self.instant("2026-12-01", 12, 0))
        let bars = try await market.minuteBars(["AAPL"], from: Self.instant("2026-11-25", 0, 0), to: Self.instant("2026-11-30", 0, 0))
        let aapl = try #require(bars["AAPL"])
        let calendar = NYSECalendar()
        #expect(aapl.count == 390 + 210)
        #expect(aapl.allSatisfy { calendar.isOpen(at: $0.start) })
        #expect(!aapl.contains { MarketDate(containing: $0.start) == Self.date("2026-11-26") })
        #expect(aapl.last?.start == Self.instant("2026-11-27", 12, 59))
        #expect(zip(aapl, aapl.dropFirst()).allSatisfy { $0.start < $1.start })

        // Half-open range, and only bars completed by now.
        let live = Self.market(at: Self.instant("2026-11-25", 10, 0, seconds: 30))
        let partial = try await live.minuteBars(["AAPL"], from: Self.instant("2026-11-25", 9, 45), to: Self.instant("2026-11-25", 11, 0))
        let starts = try #require(partial["AAPL"]).map(\.start)
        #expect(starts.first == Self.instant("2026-11-25", 9, 45))
        #expect(starts.last == Self.instant("2026-11-25", 9, 59))
        #expect(starts.count == 15)
        let ranged = try await market.minuteBars(["AAPL"], from: Self.instant("2026-11-25", 9, 45), to: Self.instant("2026-11-25", 9, 50))
        #expect(ranged["AAPL"]?.map(\.start) == (45..<50).map { Self.instant("2026-11-25", 9, $0) })
    }

    @Test func barsAreConsistentAndContinuous() async throws {
        let market = Self.market(at: Self.instant("2026-09-01", 0, 0))
        let bars = try await market.minuteBars(
            Self.allSymbols, from: Self.instant("2026-08-31", 9, 30), to: Self.instant("2026-08-31", 16, 0))
        let close = try await Self.quotes(at: Self.instant("2026-08-31", 16, 0))
        for instrument in SimulatedMarket.universe {
            let series = try #require(bars[instrument.symbol])
            #expect(series.count == 390)
            #expect(series.allSatisfy { $0.isConsistent && $0.low.isPositive })
            #expect(series.allSatisfy { [$0.open, $0.high, $0.low, $0.close].allSatisfy { $0.micros % Self.cent == 0 } })
            #expect(zip(series, series.dropFirst()).allSatisfy { $0.close == $1.open })
            #expect(series.last?.close == close[instrument.symbol]?.mid)
            if instrument.kind == .index {
                #expect(series.allSatisfy { $0.volume == 0 })
            } else {
                #expect(series.allSatisfy { $0.volume > 0 })
            }
        }
    }

    @Test func aQuoteLiesWithinItsMinuteBar() async {
        let symbols = Gen.element(of: Self.allSymbols).map { $0! }
        let days = Gen.element(of: ["2026-01-02", "2026-03-09", "2026-07-02", "2026-11-03", "2027-06-11"]).map { $0! }
        await propertyCheck(input: symbols, days, Gen.int(in: 0...389), Gen.int(in: 0...59)) { symbol, day, minute, second in
            let instant = Self.instant(day, 9, 30).addingTimeInterval(TimeInterval(minute * 60 + second))
            let quotes = try await Self.quotes(at: instant, [symbol])
            let quote = try #require(quotes[symbol])
            let later = Self.market(at: Self.instant(day, 23, 0))
            let bars = try await later.minuteBars([symbol], from: quote.timestamp, to: quote.timestamp.addingTimeInterval(60))
            let bar = try #require(bars[symbol]?.first)
            #expect(bar.start == quote.timestamp)
            #expect(bar.open == quote.mid)
            #expect(bar.low <= quote.mid && quote.mid <= bar.high)
        }
    }

    // MARK: - Options

    @Test(arguments: ["AAPL", "SPY", "F", "SPX", "XSP", "NDX", "RUT"])
    func optionChainStructure(underlying: String) async throws {
        let now = Self.instant("2026-03-10", 11, 0)
        let market = Self.market(at: now)
        let spot = try #require(try await market.latestQuotes([underlying])[underlying]).mid
        for (expiry, monthly) in [("2026-03-13", false), ("2026-03-20", true), ("2026-09-18", true)] {
            let chain = try await market.optionChain(underlying: underlying, expiry: Self.date(expiry))
            #expect(chain.count == 62)
            let calls = chain.filter { $0.symbol.right == .call }
            let puts = chain.filter { $0.symbol.right == .put }
            #expect(chain.map(\.symbol) == calls.map(\.symbol) + puts.map(\.symbol))
            #expect(calls.map(\.symbol.strike) == puts.map(\.symbol.strike))
            #expect(zip(calls, calls.dropFirst()).allSatisfy { $0.symbol.strike < $1.symbol.strike })
            #expect(chain.allSatisfy { $0.symbol.expiry == Self.date(expiry) })

            let expectedRoot: String =
                switch underlying {
                case "SPX": monthly ? "SPX" : "SPXW"
                case "NDX": monthly ? "NDX" : "NDXP"
                case "RUT": monthly ? "RUT" : "RUTW"
                default: underlying
                }
            #expect(chain.allSatisfy { $0.symbol.root == expectedRoot })

            let increment: Int64 =
                switch underlying {
                case "SPX", "RUT": 5_000_000
                case "NDX": 25_000_000
                case "XSP": 1_000_000
                default: Self.stockIncrement(spot: spot)
                }
            let strikes = calls.map(\.symbol.strike)
            #expect(strikes.allSatisfy { $0.micros % increment == 0 })
            let spacing = strikes[1] - strikes[0]
            #expect(zip(strikes, strikes.dropFirst()).allSatisfy { $1 - $0 == spacing })
            #expect(strikes.first! < spot && spot < strikes.last!)
            let atTheMoney = try #require(strikes.min { ($0 - spot).magnitude < ($1 - spot).magnitude })
            #expect((spot - atTheMoney).magnitude.micros * 2 <= spacing.micros)
            // At the money the deltas are strictly inside their bounds (how far inside depends on how
            // coarse the grid is next to the move expected by expiry).
            let atTheMoneyCall = try #require(calls.first { $0.symbol.strike == atTheMoney }?.delta)
            let atTheMoneyPut = try #require(puts.first { $0.symbol.strike == atTheMoney }?.delta)
            #expect(atTheMoneyCall > .zero && atTheMoneyCall < .one)
            #expect(atTheMoneyPut < .zero && atTheMoneyPut > -.one)
            #expect(calls.first!.delta! > calls.last!.delta!)

            for entry in chain {
                let quote = try #require(entry.quote)
                #expect(quote.bid <= quote.ask && !quote.bid.isNegative && quote.ask.isPositive)
                #expect(quote.bid.micros % Self.cent == 0 && quote.ask.micros % Self.cent == 0)
                let delta = try #require(entry.delta)
                switch entry.symbol.right {
                // Far from the money a delta rounds to 0 (or ±1) at six decimals.
                case .call: #expect(delta >= .zero && delta <= .one)
                case .put: #expect(delta <= .zero && delta >= -.one)
                }
                #expect(entry.gamma.map { !$0.isNegative } == true)
                #expect(entry.impliedVolatility != nil)
            }
            #expect(zip(calls, calls.dropFirst()).allSatisfy { $0.delta! >= $1.delta! })
            #expect(zip(puts, puts.dropFirst()).allSatisfy { $0.delta! >= $1.delta! })
            #expect(zip(calls, calls.dropFirst()).allSatisfy { $0.quote!.ask >= $1.quote!.ask })
        }
    }

    @Test func chainsOnlyForListedExpiries() async throws {
        let market = Self.market(at: Self.instant("2026-03-10", 11, 0))
        for expiry in [
            "2026-03-11",  // a Wednesday
            "2026-03-14",  // a Saturday
            "2026-03-06",  // expired
            "2026-04-03",  // Good Friday: the exchange is shut
            "2026-07-10",  // a weekly beyond the weekly horizon
            "2029-03-16",  // a monthly beyond the monthly horizon
        ] {
            let chain = try await market.optionChain(underlying: "AAPL", expiry: Self.date(expiry))
            #expect(chain.isEmpty, "\(expiry)")
        }
        // Good Friday's expiry moves to the Thursday before.
        let thursday = try await market.optionChain(underlying: "AAPL", expiry: Self.date("2026-04-02"))
        #expect(!thursday.isEmpty)
        let unknown = try await market.optionChain(underlying: "ZZZZ", expiry: Self.date("2026-03-20"))
        #expect(unknown.isEmpty)

        // Expiry day: listed until the close.
        let beforeClose = Self.market(at: Self.instant("2026-03-13", 15, 59))
        let afterClose = Self.market(at: Self.instant("2026-03-13", 16, 0))
        let open = try await beforeClose.optionChain(underlying: "AAPL", expiry: Self.date("2026-03-13"))
        let closed = try await afterClose.optionChain(underlying: "AAPL", expiry: Self.date("2026-03-13"))
        #expect(!open.isEmpty && closed.isEmpty)
    }

    @Test func optionQuotesForLiveContractsOnly() async throws {
        let market = Self.market(at: Self.instant("2026-03-10", 11, 0))
        let live = try OptionSymbol(parsing: "AAPL260320C00230000")
        let offGrid = try OptionSymbol(parsing: "AAPL260320P00231370")
        let expired = try OptionSymbol(parsing: "AAPL260306C00230000")
        let notAnExpiry = try OptionSymbol(parsing: "AAPL260318C00230000")
        let weeklyIndex = try OptionSymbol(parsing: "SPXW260313P06500000")
        let unknown = try OptionSymbol(parsing: "ZZZZ260320C00230000")
        let unlistedIndexRoot = try OptionSymbol(parsing: "VIX260318C00020000")
        let quotes = try await market.latestOptionQuotes([live, offGrid, expired, notAnExpiry, weeklyIndex, unknown, unlistedIndexRoot])
        #expect(Set(quotes.keys) == [live, offGrid, weeklyIndex])
        #expect(quotes[live]?.symbol == "AAPL260320C00230000")
        #expect(quotes.values.allSatisfy { $0.bid <= $0.ask && $0.ask.isPositive })

        // The same contract is quoted the same in the chain and alone.
        let chain = try await market.optionChain(underlying: "SPX", expiry: Self.date("2026-03-13"))
        let entry = try #require(chain.first)
        let alone = try await market.latestOptionQuotes([entry.symbol])
        #expect(alone[entry.symbol] == entry.quote)

        // Expired once the expiry's session has closed.
        let atExpiry = Self.market(at: Self.instant("2026-03-20", 16, 0))
        let afterExpiry = try await atExpiry.latestOptionQuotes([live])
        #expect(afterExpiry.isEmpty)
    }

    // MARK: - Corporate actions

    @Test func dividendsAndTheSplitAreInTheCalendar() async throws {
        let market = Self.market(at: Self.instant("2026-01-02", 12, 0))
        let calendar = NYSECalendar()
        let year = try await market.corporateActions(from: Self.date("2026-01-01"), through: Self.date("2026-12-31"), symbols: [])
        #expect(year.map(\.exDate) == year.map(\.exDate).sorted())
        #expect(year.allSatisfy { calendar.isTradingDay($0.exDate) })
        #expect(Set(year.map(\.id)).count == year.count)

        let ko = year.filter { $0.symbol == "KO" }
        #expect(ko.count == 4)
        #expect(ko.map(\.exDate.month) == [2, 5, 8, 11])
        for action in ko {
            guard case .cashDividend(let id, _, let rate, let exDate, let payable) = action else {
                Issue.record("expected a dividend, got \(action)")
                continue
            }
            #expect(rate == "0.51")  // 68 × 3 % / 4
            #expect(id == "sim-div-KO-\(exDate)")
            #expect(payable.map { $0 > exDate && calendar.isTradingDay($0) } == true)
        }
        #expect(!year.contains { ["AMZN", "TSLA", "SPX", "XSP", "NDX", "RUT"].contains($0.symbol) && $0.id.hasPrefix("sim-div") })

        let splits = year.filter { if case .split = $0 { true } else { false } }
        #expect(
            splits == [.split(id: "sim-split-NVDA-2026-06-10", symbol: "NVDA", newRate: 2, oldRate: 1, exDate: Self.date("2026-06-10"))])

        // Filters: symbols, and an inclusive range on both ends.
        let koFirst = try #require(ko.first)
        let exact = try await market.corporateActions(from: koFirst.exDate, through: koFirst.exDate, symbols: ["KO", "ZZZZ"])
        #expect(exact == [koFirst])
        let nvda = try await market.corporateActions(from: Self.date("2026-06-10"), through: Self.date("2026-06-10"), symbols: ["NVDA"])
        #expect(nvda.map(\.id) == ["sim-split-NVDA-2026-06-10"])
        let unknown = try await market.corporateActions(from: Self.date("2026-01-01"), through: Self.date("2026-12-31"), symbols: ["ZZZZ"])
        #expect(unknown.isEmpty)
        let nextYear = try await market.corporateActions(from: Self.date("2027-01-01"), through: Self.date("2027-12-31"), symbols: ["TSLA"])
        #expect(nextYear.map(\.id) == ["sim-split-TSLA-2027-06-10"])
    }

    @Test func theSplitHalvesThePriceAcrossItsExDate() async throws {
        let beforeSplit = try await Self.quotes(at: Self.instant("2026-06-09", 16, 0), ["NVDA", "AMD"])
        let afterSplit = try await Self.quotes(at: Self.instant("2026-06-10", 9, 30, seconds: 10), ["NVDA", "AMD"])
        let nvdaRatio = Self.double(try #require(afterSplit["NVDA"]).mid) / Self.double(try #require(beforeSplit["NVDA"]).mid)
        #expect(nvdaRatio > 0.46 && nvdaRatio < 0.54)
        let amdRatio = Self.double(try #require(afterSplit["AMD"]).mid) / Self.double(try #require(beforeSplit["AMD"]).mid)
        #expect(amdRatio > 0.92 && amdRatio < 1.08)
    }

    // MARK: - Unknown symbols

    @Test func unknownSymbolsAreAbsent() async throws {
        let market = Self.market(at: Self.instant("2026-03-10", 11, 0))
        let quotes = try await market.latestQuotes(["AAPL", "ZZZZ", "aapl", ""])
        #expect(Set(quotes.keys) == ["AAPL"])
        let bars = try await market.minuteBars(
            ["ZZZZ", "MSFT"], from: Self.instant("2026-03-09", 9, 30), to: Self.instant("2026-03-09", 9, 35))
        #expect(Set(bars.keys) == ["MSFT"])
        #expect(bars["MSFT"]?.count == 5)
        let noBars = try await market.minuteBars(["MSFT"], from: Self.instant("2026-03-08", 0, 0), to: Self.instant("2026-03-08", 23, 0))
        #expect(noBars == ["MSFT": []])
    }

    // MARK: - Speed

    @Test func minuteBarsForManySymbolSessionsAreQuick() async throws {
        // 36 symbols × 14 sessions ≈ 500 symbol-sessions, the load of 500 symbols over one session.
        let market = Self.market(at: Self.instant("2026-04-01", 0, 0))
        let clock = ContinuousClock()
        var count = 0
        let elapsed = try await clock.measure {
            let bars = try await market.minuteBars(
                Self.allSymbols, from: Self.instant("2026-03-11", 0, 0), to: Self.instant("2026-03-31", 0, 0))
            count = bars.values.reduce(0) { $0 + $1.count }
        }
        #expect(count == Self.allSymbols.count * 14 * 390)
        #expect(elapsed < .seconds(5))
        print("minuteBars: \(count) bars for \(Self.allSymbols.count * 14) symbol-sessions in \(elapsed)")
    }
}

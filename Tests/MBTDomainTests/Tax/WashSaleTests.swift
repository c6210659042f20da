import MBTDomain
import Testing

/// Wash sales: the record's required same-day sequence and the worked examples of the public sources
/// `tax-rules.md` cites, with their inputs and expected outputs written out.
@Suite("Tax wash sales")
struct WashSaleTests {
    /// The record's required test (SC-5): a same-day buy → sell at a loss → buy again, with T+0
    /// settlement. The loss is washed into the second buy, which takes the first lot's holding
    /// period (zero days) and its basis goes up by the disallowed loss.
    @Test func sameDayBuySellAtALossBuyAgain() throws {
        var trades = TaxTrades()
        trades.add("2026-06-15", .buy, "AAPL", 100, "200")
        trades.add("2026-06-15", .sell, "AAPL", 100, "195")
        let rebuy = trades.add("2026-06-15", .buy, "AAPL", 100, "196")
        let state = try trades.run()

        let sale = try #require(state.closed("AAPL").first)
        #expect(sale.gainBeforeWashSale == "-500")
        #expect(sale.washSaleDisallowed == "500")
        #expect(sale.gain == 0)
        #expect(sale.sold == taxDay("2026-06-15"))
        let lot = try #require(state.openLots.first)
        #expect(lot.id == TaxLotID(origin: rebuy))
        #expect(lot.basis == "19600")
        #expect(lot.washSaleAdjustment == "500")
        #expect(lot.adjustedBasis == "20100")
        #expect(lot.acquired == taxDay("2026-06-15"))
        #expect(lot.adjustedAcquired == taxDay("2026-06-15"))
        #expect(state.washSales.count == 1)
    }

    /// Fairmark "wssameday" (adlr tests/fairmark_sameday_1): a day trader buys 100 for $1,000, sells
    /// for $900, buys 100 for $800 and sells for $900, all on 2014-05-01. The first loss ($100) is
    /// washed into the second block (basis $900), whose sale then shows no gain; the day's net is
    /// the economic result.
    @Test func fairmarkSameDayDayTrade() throws {
        var trades = TaxTrades()
        trades.add("2014-05-01", .buy, "XYZ", 100, "10")
        trades.add("2014-05-01", .sell, "XYZ", 100, "9")
        trades.add("2014-05-01", .buy, "XYZ", 100, "8")
        trades.add("2014-05-01", .sell, "XYZ", 100, "9")
        let sales = try trades.run().closed("XYZ")
        #expect(sales.map(\.washSaleDisallowed) == ["100", "0"])
        #expect(sales.map(\.basis) == ["1000", "900"])
        #expect(sales.map(\.gain) == ["0", "0"])
    }

    /// Pub 550 (2014) Example 1 "Wash Sales", saved in adlr tests/irs550_example_1: 100 X bought for
    /// $1,000 (2014-05-01), sold for $750 (07-01), 100 bought within 30 days for $800 (07-05): the
    /// $250 loss is disallowed and the new basis is $1,050; tacking dates it 2014-05-05.
    @Test func pub550ExampleOneDisallowsTheWholeLoss() throws {
        var trades = TaxTrades()
        trades.add("2014-05-01", .buy, "X", 100, "10")
        trades.add("2014-07-01", .sell, "X", 100, "7.5")
        trades.add("2014-07-05", .buy, "X", 100, "8")
        let state = try trades.run()
        #expect(state.closed("X").first?.washSaleDisallowed == "250")
        #expect(state.closed("X").first?.gain == 0)
        let lot = try #require(state.openLots.first)
        #expect(lot.adjustedBasis == "1050")
        #expect(lot.adjustedAcquired == taxDay("2014-05-05"))
    }

    /// Pub 550 (2014) Example 1 of "partial" wash sales (adlr tests/irs550_example_2): 100 M bought
    /// 2013-09-26 for $5,000; 50 bought 12-19 for $2,750; 25 bought 12-27 for $1,125; the September
    /// 100 sold 2014-01-09 for $4,000. $750 of the $1,000 loss is disallowed (75 replacement shares),
    /// $250 allowed. New bases $3,250 and $1,375; tacked dates 2013-09-05 and 2013-09-13 (adlr output).
    @Test func pub550PartialWashAcrossTheYearEnd() throws {
        var trades = TaxTrades()
        trades.add("2013-09-26", .buy, "M", 100, "50")
        let a = trades.add("2013-12-19", .buy, "M", 50, "55")
        let b = trades.add("2013-12-27", .buy, "M", 25, "45")
        trades.add("2014-01-09", .sell, "M", 100, "40")
        let state = try trades.run()
        let sale = try #require(state.closed("M").first)
        #expect(sale.washSaleDisallowed == "750")
        #expect(sale.gain == "-250")
        let lots = Dictionary(uniqueKeysWithValues: state.openLots.map { ($0.id.origin, $0) })
        #expect(lots[a]?.adjustedBasis == "3250")
        #expect(lots[a]?.adjustedAcquired == taxDay("2013-09-05"))
        #expect(lots[b]?.adjustedBasis == "1375")
        #expect(lots[b]?.adjustedAcquired == taxDay("2013-09-13"))
        #expect(state.summary(year: 2014).total.shortTermGain == "-250")
        #expect(state.summary(year: 2014).total.washSaleDisallowed == "750")
    }

    /// Pub 550 (2014) Example 2 (adlr tests/irs550_example_3): 100 M bought 2013-09-26 for $5,000,
    /// sold 2014-02-06 at a $1,000 loss; 50 shares bought on each of Feb 11–14. The Feb 11 and Feb 12
    /// lots absorb $500 each (earliest replacements first); Feb 13 and 14 are untouched. Tacked dates
    /// 2013-10-01 and 2013-10-02 (adlr output).
    @Test func pub550EarliestReplacementsFirst() throws {
        var trades = TaxTrades()
        trades.add("2013-09-26", .buy, "M", 100, "50")
        trades.add("2014-02-06", .sell, "M", 100, "40")
        for date in ["2014-02-11", "2014-02-12", "2014-02-13", "2014-02-14"] { trades.add(date, .buy, "M", 50, "20") }
        let state = try trades.run()
        #expect(state.closed("M").first?.washSaleDisallowed == "1000")
        let lots = state.openLots
        #expect(lots.map(\.adjustedBasis) == ["1500", "1500", "1000", "1000"])
        #expect(lots.map(\.adjustedAcquired) == [taxDay("2013-10-01"), taxDay("2013-10-02"), taxDay("2014-02-13"), taxDay("2014-02-14")])
    }

    /// Pub 550 (2014) example (adlr tests/irs550_example_4): blocks of 100 X bought in 2008 at $158,
    /// $100 and $95; all 300 sold 2013-12-27 at $125; 250 bought 2014-01-09 at $100. The first
    /// block's $3,300 loss is washed by 100 of the new shares (basis $13,300, dated 2008-01-18); the
    /// gains on the other blocks are not reduced, and the other 150 new shares keep a $15,000 basis.
    @Test func pub550LossBlockInAMultiBlockSaleAcrossYears() throws {
        var trades = TaxTrades()
        trades.add("2008-01-05", .buy, "X", 100, "158")
        trades.add("2008-01-06", .buy, "X", 100, "100")
        trades.add("2008-01-07", .buy, "X", 100, "95")
        trades.add("2013-12-27", .sell, "X", 300, "125")
        let rebuy = trades.add("2014-01-09", .buy, "X", 250, "100")
        let state = try trades.run()
        #expect(state.closed("X").map(\.washSaleDisallowed) == ["3300", "0", "0"])
        #expect(state.closed("X").map(\.gain) == ["0", "2500", "3000"])
        let lots = state.openLots
        #expect(lots.count == 2)
        let washed = try #require(lots.first { $0.isWashReplacement })
        #expect(washed.id.origin == rebuy)
        #expect(washed.quantity == 100)
        #expect(washed.adjustedBasis == "13300")
        #expect(washed.adjustedAcquired == taxDay("2008-01-18"))
        let rest = try #require(lots.first { !$0.isWashReplacement })
        #expect(rest.quantity == 150)
        #expect(rest.adjustedBasis == "15000")
        #expect(rest.adjustedAcquired == taxDay("2014-01-09"))
    }

    /// Fairmark "Selling Half" (adlr tests/fairmark_replace_2): 200 XYZ bought in one order on June 1
    /// for $10,000, 100 sold June 12 for $4,000. The other 100 from the same order are not
    /// replacements: no wash sale.
    @Test func fairmarkSellingHalfIsNoWash() throws {
        var trades = TaxTrades()
        trades.add("2014-06-01", .buy, "XYZ", 200, "50")
        trades.add("2014-06-12", .sell, "XYZ", 100, "40")
        let state = try trades.run()
        #expect(state.closed("XYZ").first?.washSaleDisallowed == 0)
        #expect(state.closed("XYZ").first?.gain == "-1000")
        #expect(state.openLots.first?.adjustedBasis == "5000")
    }

    /// bbreslauer tests/simple_wash_sold_becomes_loss_replacement_before: A 10 bought 2012-01-01 for
    /// $200, sold 06-01 for $100; B 10 bought 05-10 for $150 (before the sale, inside the window),
    /// sold 09-01 for $200. B absorbs A's $100 (basis $250, dated 2011-12-10) and then sells at a loss.
    @Test func replacementBoughtBeforeTheLossSale() throws {
        var trades = TaxTrades()
        trades.add("2012-01-01", .buy, "ABC", 10, "20")
        trades.add("2012-05-10", .buy, "ABC", 10, "15")
        trades.add("2012-06-01", .sell, "ABC", 10, "10")
        trades.add("2012-09-01", .sell, "ABC", 10, "20")
        let sales = try trades.run().closed("ABC")
        #expect(sales.map(\.washSaleDisallowed) == ["100", "0"])
        #expect(sales[1].basis == "250")
        #expect(sales[1].adjustedAcquired == taxDay("2011-12-10"))
        #expect(sales[1].gain == "-50")
    }

    /// bbreslauer tests/overlapping_losses: A bought 2012-05-20 ($200) sold 06-01 ($100); B bought
    /// 05-25 ($1,000) sold 08-01 ($700); C bought 07-20 ($1,800) sold 08-20 ($1,700). A's loss goes
    /// into B (dated 05-13), B's larger loss into C (dated 05-01): a chain that stacks holding periods.
    @Test func chainStacksLossesAndHoldingPeriods() throws {
        var trades = TaxTrades()
        trades.add("2012-05-20", .buy, "ABC", 10, "20")
        trades.add("2012-05-25", .buy, "ABC", 10, "100")
        trades.add("2012-06-01", .sell, "ABC", 10, "10", lots: [1])
        trades.add("2012-07-20", .buy, "ABC", 10, "180")
        trades.add("2012-08-01", .sell, "ABC", 10, "70", lots: [2])
        trades.add("2012-08-20", .sell, "ABC", 10, "170")
        let sales = try trades.run().closed("ABC")
        #expect(sales.map(\.washSaleDisallowed) == ["100", "400", "0"])
        #expect(sales.map(\.basis) == ["200", "1100", "2200"])
        #expect(sales.map(\.adjustedAcquired) == [taxDay("2012-05-20"), taxDay("2012-05-13"), taxDay("2012-05-01")])
        #expect(sales.map(\.gain) == ["0", "0", "-500"])
    }

    /// A chain of wash sales can turn short-term holdings long-term (TurboTax thread, §1.7): 100
    /// shares held 300 days, sold at a loss and rebought the next day, held another 100 days.
    @Test func chainCanMakeAReplacementLongTerm() throws {
        var trades = TaxTrades()
        trades.add("2024-01-02", .buy, "QQQ", 100, "400")
        trades.add("2024-10-28", .sell, "QQQ", 100, "390")
        trades.add("2024-10-29", .buy, "QQQ", 100, "391")
        trades.add("2025-02-06", .sell, "QQQ", 100, "420")
        let sales = try trades.run().closed("QQQ")
        #expect(sales[1].adjustedAcquired == taxDay("2024-01-03"))
        #expect(sales[1].term == .long)
        #expect(sales[1].gain == "1900")
    }

    /// washsales.org "gain-for-loss": a sale that would be a gain becomes a loss with the inherited
    /// basis, and that loss is washed again by a later purchase.
    @Test func gainForLossRewash() throws {
        var trades = TaxTrades()
        trades.add("2025-01-02", .buy, "T", 10, "100")
        trades.add("2025-01-10", .sell, "T", 10, "80")
        trades.add("2025-01-12", .buy, "T", 10, "85")
        trades.add("2025-01-20", .sell, "T", 10, "90")
        trades.add("2025-01-25", .buy, "T", 10, "90")
        let state = try trades.run()
        let sales = state.closed("T")
        // Without the $200 inherited, the second sale gains $50; with it, it loses $150, all washed.
        #expect(sales[1].gainBeforeWashSale == "-150")
        #expect(sales[1].washSaleDisallowed == "150")
        #expect(state.openLots.first?.adjustedBasis == "1050")
        #expect(state.openLots.first?.adjustedAcquired == taxDay("2025-01-09"))
    }

    /// The window is 30 days either side, inclusive, on trade dates (Reg. 1.1091-1(a)).
    @Test(arguments: [(-31, false), (-30, true), (-1, true), (0, true), (1, true), (30, true), (31, false)])
    func windowIsSixtyOneDays(offset: Int, washed: Bool) throws {
        var trades = TaxTrades()
        let sale = taxDay("2025-06-16")
        trades.add("2025-01-02", .buy, "W", 10, "50")
        if offset < 0 { trades.add(sale.adding(days: offset).description, .buy, "W", 5, "40") }
        trades.add(sale.description, .sell, "W", 10, "40", lots: [1])
        if offset >= 0 { trades.add(sale.adding(days: offset).description, .buy, "W", 5, "40") }
        let disallowed = try trades.run().closed("W").first?.washSaleDisallowed
        #expect(disallowed == (washed ? "50" : "0"))
    }

    @Test func gainsAreNeverWashed() throws {
        var trades = TaxTrades()
        trades.add("2025-01-02", .buy, "G", 10, "50")
        trades.add("2025-01-10", .sell, "G", 10, "60")
        trades.add("2025-01-11", .buy, "G", 10, "55")
        let state = try trades.run()
        #expect(state.washSales.isEmpty)
        #expect(state.openLots.first?.adjustedAcquired == taxDay("2025-01-11"))
    }

    /// A later purchase re-opens the loss sale reported earlier (§1.1 engine note): the state shows
    /// the full loss until the purchase arrives, then the disallowed part.
    @Test func laterPurchaseReopensAnEarlierLoss() throws {
        var state = TaxState()
        var trades = TaxTrades()
        trades.add("2025-03-03", .buy, "R", 100, "10")
        trades.add("2025-03-20", .sell, "R", 100, "8")
        trades.add("2025-04-15", .buy, "R", 40, "7")
        for event in trades.events.prefix(2) { try state.apply(event) }
        #expect(state.dispositions[0].gain == "-200")
        try state.apply(trades.events[2])
        #expect(state.dispositions[0].washSaleDisallowed == "80")
        #expect(state.dispositions[0].gain == "-120")
        #expect(state.openLots.first?.adjustedBasis == "360")
    }

    /// Proration by shares: 30 of 100 shares replaced washes 30 % of the loss.
    @Test func partialWashIsProratedByShares() throws {
        var trades = TaxTrades()
        trades.add("2025-01-02", .buy, "P", 100, "12.34")
        trades.add("2025-02-03", .sell, "P", 100, "11.11")
        trades.add("2025-02-10", .buy, "P", 30, "11")
        let state = try trades.run()
        #expect(state.closed("P").first?.washSaleDisallowed == "36.9")
        #expect(state.closed("P").first?.gain == "-86.1")
    }

    // MARK: - Short sales (1091(e))

    /// A loss on covering a short is washed by another short sale of the stock within 30 days; the
    /// disallowed loss is added to the replacement short's cost of covering.
    @Test func shortSaleLossWashedByANewShort() throws {
        var trades = TaxTrades()
        trades.add("2025-05-01", .sellShort, "TSLA", 10, "200")
        trades.add("2025-05-08", .buyToCover, "TSLA", 10, "220")
        trades.add("2025-05-20", .sellShort, "TSLA", 10, "210")
        trades.add("2025-06-02", .buyToCover, "TSLA", 10, "190")
        let state = try trades.run()
        let covers = state.closed("TSLA")
        #expect(covers[0].gainBeforeWashSale == "-200")
        #expect(covers[0].washSaleDisallowed == "200")
        #expect(covers[1].proceeds == "2100")
        #expect(covers[1].basis == "2100")
        #expect(covers[1].washSaleAdjustment == "200")
        #expect(covers[1].gain == 0)
        #expect(covers.allSatisfy { $0.term == .short })
    }

    @Test func buyingStockDoesNotWashAShortSaleLoss() throws {
        var trades = TaxTrades()
        trades.add("2025-05-01", .sellShort, "TSLA", 10, "200")
        trades.add("2025-05-08", .buyToCover, "TSLA", 10, "220")
        trades.add("2025-05-09", .buy, "TSLA", 10, "221")
        let state = try trades.run()
        #expect(state.washSales.isEmpty)
    }

    // MARK: - Options as replacements (identity mode)

    /// Buying a call on the stock inside the window: a wash sale only for the taxpayer's rule
    /// (1091(a), "option to acquire"), counted at 100 shares per contract; brokers (same CUSIP)
    /// ignore it.
    @Test(arguments: [TaxPolicy.IdentityMode.sameSymbol, .underlyingFamily])
    func callBoughtAfterAStockLoss(mode: TaxPolicy.IdentityMode) throws {
        var trades = TaxTrades()
        trades.add("2026-01-05", .buy, "AAPL", 250, "200")
        trades.add("2026-01-20", .sell, "AAPL", 250, "190")
        trades.add("2026-01-22", .buy, "AAPL260320C00200000", 1, "5")
        let state = try trades.run(TaxPolicy(identityMode: mode))
        let sale = try #require(state.closed("AAPL").first)
        let call = try #require(state.openLots(symbol: "AAPL260320C00200000").first)
        if mode == .sameSymbol {
            #expect(sale.washSaleDisallowed == 0)
            #expect(call.adjustedBasis == "500")
        } else {
            // One contract replaces 100 of the 250 shares: $1,000 of the $2,500 loss.
            #expect(sale.washSaleDisallowed == "1000")
            #expect(call.adjustedBasis == "1500")
            #expect(call.adjustedAcquired == taxDay("2026-01-07"))
        }
    }

    /// Two contracts against a 150-share loss: 1.5 contracts absorb it, the rest stays clean.
    @Test func callContractsSplitByShareEquivalents() throws {
        var trades = TaxTrades()
        trades.add("2026-01-05", .buy, "AAPL", 150, "200")
        trades.add("2026-01-20", .sell, "AAPL", 150, "190")
        trades.add("2026-01-22", .buy, "AAPL260320C00200000", 2, "5")
        let state = try trades.run(TaxPolicy(identityMode: .underlyingFamily))
        #expect(state.closed("AAPL").first?.washSaleDisallowed == "1500")
        let calls = state.openLots(symbol: "AAPL260320C00200000")
        #expect(calls.map(\.quantity) == ["0.5", "1.5"])
        #expect(calls.map(\.adjustedBasis) == ["250", "2250"])
    }

    /// A put bought is not an option to acquire: never a replacement for a stock loss.
    @Test func boughtPutIsNotAReplacement() throws {
        var trades = TaxTrades()
        trades.add("2026-01-05", .buy, "AAPL", 100, "200")
        trades.add("2026-01-20", .sell, "AAPL", 100, "190")
        trades.add("2026-01-22", .buy, "AAPL260320P00200000", 1, "5")
        let state = try trades.run(TaxPolicy(identityMode: .underlyingFamily))
        #expect(state.washSales.isEmpty)
    }

    /// Option series identity: the same contract always washes; another strike only when the policy
    /// says same underlying and right, and otherwise is reported for review in the family mode.
    @Test(arguments: TaxPolicy.OptionSeriesIdentity.allCases)
    func otherOptionSeries(series: TaxPolicy.OptionSeriesIdentity) throws {
        var trades = TaxTrades()
        trades.add("2026-01-05", .buy, "MSFT260320C00400000", 2, "10")
        trades.add("2026-01-20", .sell, "MSFT260320C00400000", 2, "6")
        trades.add("2026-01-22", .buy, "MSFT260320C00410000", 2, "5")
        let state = try trades.run(TaxPolicy(identityMode: .underlyingFamily, optionSeriesIdentity: series))
        let sale = try #require(state.closed("MSFT260320C00400000").first)
        if series == .sameContract {
            #expect(sale.washSaleDisallowed == 0)
            #expect(state.reviews.map(\.kind) == [.otherOptionSeries])
        } else {
            #expect(sale.washSaleDisallowed == "800")
            #expect(state.reviews.isEmpty)
        }
    }

    @Test func sameOptionContractWashesInBrokerMode() throws {
        var trades = TaxTrades()
        trades.add("2026-01-05", .buy, "MSFT260320C00400000", 2, "10")
        trades.add("2026-01-20", .sell, "MSFT260320C00400000", 2, "6")
        trades.add("2026-01-22", .buy, "MSFT260320C00400000", 1, "5")
        let state = try trades.run()
        #expect(state.closed("MSFT260320C00400000").first?.washSaleDisallowed == "400")
        #expect(state.openLots.first?.adjustedBasis == "900")
    }

    /// Deep in-the-money short puts (Rev. Rul. 85-87): flagged for review, never applied.
    @Test(arguments: TaxPolicy.ShortPutReplacement.allCases)
    func shortPutAfterAStockLoss(setting: TaxPolicy.ShortPutReplacement) throws {
        var trades = TaxTrades()
        trades.add("2026-01-05", .buy, "AAPL", 100, "200")
        trades.add("2026-01-20", .sell, "AAPL", 100, "150")
        trades.add("2026-01-22", .sellShort, "AAPL260320P00190000", 1, "40")
        trades.add("2026-01-23", .sellShort, "AAPL260320P00120000", 1, "1")
        let state = try trades.run(TaxPolicy(identityMode: .underlyingFamily, shortPutReplacement: setting))
        #expect(state.washSales.isEmpty)
        if setting == .flagForReview {
            #expect(state.reviews.map(\.otherSymbol) == ["AAPL260320P00190000"])
            #expect(state.reviews.first?.kind == .inTheMoneyShortPut)
        } else {
            #expect(state.reviews.isEmpty)
        }
    }

    // MARK: - Policy switches

    /// The Motley Fool board case (§1.5): lots 200@$13 (4/19), 200@$14 (5/1), 200@$15 (5/10); the 5/10
    /// lot sold at $13.50 ($300 loss). Sold before 5/20 the 4/19 lot becomes $14.50 a share — unless
    /// earlier-acquired shares cannot replace (Fairmark), when the loss stands.
    @Test(arguments: [true, false])
    func earlierAcquiredShares(canReplace: Bool) throws {
        var trades = TaxTrades()
        trades.add("2025-04-19", .buy, "F", 200, "13")
        trades.add("2025-05-01", .buy, "F", 200, "14")
        let sold = trades.add("2025-05-10", .buy, "F", 200, "15")
        trades.add("2025-05-15", .sell, "F", 200, "13.5", lots: [sold])
        let state = try trades.run(TaxPolicy(earlierAcquiredCanReplace: canReplace))
        let lots = state.openLots
        if canReplace {
            #expect(state.closed("F").first?.washSaleDisallowed == "300")
            #expect(lots.map(\.adjustedBasis) == ["2900", "2800"])
        } else {
            #expect(state.closed("F").first?.washSaleDisallowed == 0)
            #expect(lots.map(\.adjustedBasis) == ["2600", "2800"])
        }
    }

    /// The Fool case's second half: a sale from 5/20 to 6/1 moves the loss to the 5/1 lot instead,
    /// the 4/19 lot being more than 30 days old.
    @Test func earlierAcquiredSharesOutsideTheWindowAreSkipped() throws {
        var trades = TaxTrades()
        trades.add("2025-04-19", .buy, "F", 200, "13")
        trades.add("2025-05-01", .buy, "F", 200, "14")
        let sold = trades.add("2025-05-10", .buy, "F", 200, "15")
        trades.add("2025-05-25", .sell, "F", 200, "13.5", lots: [sold])
        let lots = try trades.run().openLots
        #expect(lots.map(\.adjustedBasis) == ["2600", "3100"])
    }

    /// bbreslauer tests/no_wash_replacement_sold_before_loss: A 10 bought 2012-05-20 for $200 and sold
    /// 06-01 for $100; B 10 bought 05-25 for $1,000 and sold 05-29 for $1,200. By default B, sold
    /// before the loss, is no replacement; with the switch on, A's loss moves into B's closed basis.
    @Test(arguments: [false, true])
    func closedBeforeTheLoss(canReplace: Bool) throws {
        var trades = TaxTrades()
        trades.add("2012-05-20", .buy, "ABC", 10, "20")
        trades.add("2012-05-25", .buy, "ABC", 10, "100")
        trades.add("2012-05-29", .sell, "ABC", 10, "120", lots: [2])
        trades.add("2012-06-01", .sell, "ABC", 10, "10")
        let sales = try trades.run(TaxPolicy(closedBeforeLossCanReplace: canReplace)).closed("ABC")
        if canReplace {
            #expect(sales.map(\.washSaleDisallowed) == ["0", "100"])
            #expect(sales[0].basis == "1100")
            #expect(sales[0].gain == "100")
            #expect(sales[0].adjustedAcquired == taxDay("2012-05-13"))
        } else {
            #expect(sales.map(\.washSaleDisallowed) == ["0", "0"])
            #expect(sales.map(\.gain) == ["200", "-100"])
        }
    }

    @Test func closedBeforeTheLossSplitsAPartlyUsedDisposition() throws {
        var trades = TaxTrades()
        trades.add("2012-05-20", .buy, "ABC", 4, "20")
        trades.add("2012-05-25", .buy, "ABC", 10, "100")
        trades.add("2012-05-29", .sell, "ABC", 10, "120", lots: [2])
        trades.add("2012-06-01", .sell, "ABC", 4, "10")
        let state = try trades.run(TaxPolicy(closedBeforeLossCanReplace: true))
        let sales = state.closed("ABC")
        #expect(sales.map(\.quantity) == ["4", "6", "4"])
        #expect(sales.map(\.basis) == ["440", "600", "80"])
        #expect(sales[2].washSaleDisallowed == "40")
        #expect(state.totalGain == "160")
    }

    /// The three ways of carrying the sold shares' holding period over (§1.3): sold lot held
    /// 2025-01-02 → 2025-06-02 (151 days), replacement bought 2025-06-10.
    @Test(arguments: [
        (TaxPolicy.HoldingTackMethod.tacking, "2025-01-10"), (.replacement, "2025-01-02"), (.maxOfBoth, "2025-01-10"),
    ])
    func holdingPeriodTacking(method: TaxPolicy.HoldingTackMethod, expected: String) throws {
        var trades = TaxTrades()
        trades.add("2025-01-02", .buy, "H", 10, "50")
        trades.add("2025-06-02", .sell, "H", 10, "40")
        trades.add("2025-06-10", .buy, "H", 10, "41")
        let lot = try #require(try trades.run(TaxPolicy(holdingTackMethod: method)).openLots.first)
        #expect(lot.adjustedAcquired == taxDay(expected))
    }

    /// Max-of-both picks the replacement method's date when the replacement was bought before the sale.
    @Test func maxOfBothTakesTheLaterDate() throws {
        var trades = TaxTrades()
        trades.add("2025-05-01", .buy, "H", 10, "50")
        trades.add("2025-05-20", .buy, "H", 10, "45")
        trades.add("2025-06-02", .sell, "H", 10, "40", lots: [1])
        let tacked = try #require(try trades.run(TaxPolicy(holdingTackMethod: .tacking)).openLots.first)
        let latest = try #require(try trades.run(TaxPolicy(holdingTackMethod: .maxOfBoth)).openLots.first)
        #expect(tacked.adjustedAcquired == taxDay("2025-04-18"))
        #expect(latest.adjustedAcquired == taxDay("2025-05-01"))
    }

    /// Fees enter basis and proceeds by default, and nowhere when switched off.
    @Test(arguments: [true, false])
    func fees(included: Bool) throws {
        var trades = TaxTrades()
        trades.add("2025-01-02", .buy, "FEE", 10, "100", fees: "1.5")
        trades.add("2025-02-03", .sell, "FEE", 10, "110", fees: "2.25")
        let sale = try #require(try trades.run(TaxPolicy(includeFees: included)).closed("FEE").first)
        #expect(sale.basis == (included ? "1001.5" : "1000"))
        #expect(sale.proceeds == (included ? "1097.75" : "1100"))
    }
}

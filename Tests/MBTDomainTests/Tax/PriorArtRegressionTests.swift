import MBTDomain
import Testing

/// One regression test per pitfall in `tax-rules.md` §7, named after the tracker issue.
@Suite("Tax prior-art regressions")
struct PriorArtRegressionTests {
    /// 1. adlr #7 (bbreslauer tests/two_lots_same_days): GOOG lots of 4 ($235,196) and 2 ($117,598)
    /// bought 2014-09-25 in two orders and sold 2014-10-24 in two orders for $214,864 and $107,432.
    /// Lot 2 replaces 2 of lot 1's shares ($10,166, basis $127,764, dated 2014-08-27), and the
    /// adjustments never exceed the losses; the total is the economic loss.
    @Test func adlr7SameDayLotsDoNotOverAdjust() throws {
        var trades = TaxTrades()
        trades.add("2014-09-25", .buy, "GOOG", 4, "58799")
        trades.add("2014-09-25", .buy, "GOOG", 2, "58799")
        trades.add("2014-10-24", .sell, "GOOG", 4, "53716", lots: [1])
        trades.add("2014-10-24", .sell, "GOOG", 2, "53716", lots: [2])
        let state = try trades.run()
        let sales = state.closed("GOOG")
        #expect(sales.map(\.washSaleDisallowed) == ["10166", "0"])
        #expect(sales[1].basis == "127764")
        #expect(sales[1].adjustedAcquired == taxDay("2014-08-27"))
        let losses = sales.reduce(Decimal6.zero) { $0 - $1.gainBeforeWashSale }
        #expect(state.totalDisallowed <= losses)
        #expect(losses == "40664")
        #expect(state.totalGain == "-30498")
    }

    /// 2. adlr #2: same-day trades must be washed too.
    @Test func adlr2SameDayTradesAreWashed() throws {
        var trades = TaxTrades()
        trades.add("2014-05-01", .buy, "XYZ", 100, "10")
        trades.add("2014-05-01", .sell, "XYZ", 100, "9")
        trades.add("2014-05-01", .buy, "XYZ", 100, "8")
        #expect(try trades.run().totalDisallowed == "100")
    }

    /// 3. adlr #1: shares of the sold lot's own buy order never replace it (Fairmark "selling half").
    @Test func adlr1OwnBuyOrderIsNoReplacement() throws {
        var trades = TaxTrades()
        trades.add("2014-06-01", .buy, "XYZ", 200, "50")
        trades.add("2014-06-12", .sell, "XYZ", 100, "40")
        trades.add("2014-06-13", .sell, "XYZ", 50, "40")
        let state = try trades.run()
        #expect(state.washSales.isEmpty)
        #expect(state.totalGain == "-1500")
    }

    /// 4. adlr #3: one bite — a replacement that absorbed one loss cannot absorb another.
    @Test func adlr3OneBitePerReplacementShare() throws {
        var trades = TaxTrades()
        trades.add("2025-01-02", .buy, "A", 100, "50")
        let replacement = trades.add("2025-01-03", .buy, "A", 100, "50")
        trades.add("2025-01-04", .buy, "A", 100, "50")
        trades.add("2025-01-10", .sell, "A", 100, "40", lots: [1])
        trades.add("2025-01-11", .sell, "A", 100, "40", lots: [3])
        let state = try trades.run()
        #expect(state.closed("A").map(\.washSaleDisallowed) == ["1000", "0"])
        let lot = try #require(state.openLots.first)
        #expect(lot.id.origin == replacement)
        #expect(lot.washSaleAdjustment == "1000")
    }

    /// 5. adlr #6 / #10: a split-off part must not wash against the rest of its own lot, and a lot
    /// that served as a replacement can itself be sold at a loss and washed by a later lot.
    @Test func adlr6And10SplitPartsNeverReplaceEachOther() throws {
        var trades = TaxTrades()
        trades.add("2025-01-02", .buy, "S", 40, "10")
        let split = trades.add("2025-01-05", .buy, "S", 100, "9")
        trades.add("2025-01-10", .sell, "S", 40, "8", lots: [1])
        trades.add("2025-01-12", .sell, "S", 40, "7", method: .hifo)
        let later = trades.add("2025-01-15", .buy, "S", 40, "7")
        let state = try trades.run()
        let sales = state.closed("S")
        #expect(sales.map(\.washSaleDisallowed) == ["80", "160"])
        #expect(sales[1].basis == "440")
        let lots = Dictionary(uniqueKeysWithValues: state.openLots.map { ($0.id, $0) })
        #expect(lots[TaxLotID(origin: split)]?.adjustedBasis == "540")
        #expect(lots[TaxLotID(origin: split)]?.isWashReplacement == false)
        #expect(lots[TaxLotID(origin: later)]?.adjustedBasis == "440")
    }

    /// 6. bbreslauer #5: the result must not depend on the order events are handed over in.
    @Test func bbreslauer5CanonicalOrder() throws {
        var trades = TaxTrades()
        trades.add("2025-01-02", .buy, "O", 100, "50")
        trades.add("2025-01-06", .buy, "O", 50, "45")
        trades.add("2025-01-10", .sell, "O", 100, "40")
        trades.add("2025-01-10", .buy, "O", 30, "41")
        trades.add("2025-01-20", .sell, "O", 80, "39")
        trades.add("2025-02-01", .buy, "O", 80, "38")
        let inOrder = try trades.run()
        let reversed = try TaxEngine().run(trades.events.reversed())
        let shuffled = try TaxEngine().run([3, 0, 5, 1, 4, 2].map { trades.events[$0] })
        #expect(reversed == inOrder)
        #expect(shuffled == inOrder)
    }

    /// 7. bbreslauer #7: the other lots of one multi-lot sale are not replacements (phantom wash).
    @Test func bbreslauer7NoPhantomWashWithinOneSale() throws {
        var trades = TaxTrades()
        trades.add("2025-03-03", .buy, "P", 100, "50")
        trades.add("2025-03-05", .buy, "P", 100, "48")
        trades.add("2025-03-20", .sell, "P", 200, "40")
        let state = try trades.run()
        #expect(state.washSales.isEmpty)
        #expect(state.totalGain == "-1800")
    }

    /// 8. FinSight-AI #1530: several replacement buys never disallow more than the loss.
    @Test func finsight1530NoOvercountingAcrossReplacements() throws {
        var trades = TaxTrades()
        trades.add("2025-01-02", .buy, "C", 100, "50")
        trades.add("2025-01-10", .sell, "C", 100, "40")
        trades.add("2025-01-11", .buy, "C", 100, "41")
        trades.add("2025-01-12", .buy, "C", 100, "42")
        trades.add("2025-01-13", .buy, "C", 100, "43")
        let state = try trades.run()
        #expect(state.totalDisallowed == "1000")
        #expect(state.openLots.map(\.washSaleAdjustment) == ["1000", "0", "0"])
    }

    /// FinSight-AI #1571's flawed fix capped the disallowed loss at the replacement's cost and
    /// looked only after the sale: the whole per-share loss moves, also into a cheap earlier buy.
    @Test func finsight1571NoCapAtReplacementCost() throws {
        var trades = TaxTrades()
        trades.add("2025-01-02", .buy, "C", 10, "100")
        trades.add("2025-01-08", .buy, "C", 10, "1")
        trades.add("2025-01-10", .sell, "C", 10, "40", lots: [1])
        let state = try trades.run()
        #expect(state.totalDisallowed == "600")
        #expect(state.openLots.first?.adjustedBasis == "610")
    }

    /// 9. adlr #11: a fully washed loss with cents shows exactly zero, not a rounded dollar; the
    /// Form 8949 line keeps six decimals.
    @Test func adlr11NoWholeDollarRounding() throws {
        var trades = TaxTrades()
        trades.add("2025-01-02", .buy, "R", 1, "10.40")
        trades.add("2025-01-03", .sell, "R", 1, "10")
        trades.add("2025-01-04", .buy, "R", 1, "10")
        let state = try trades.run()
        let sale = try #require(state.closed("R").first)
        #expect(sale.washSaleDisallowed == "0.4")
        #expect(sale.gain == 0)
        #expect(Form8949.csv([sale]).contains("I,1 R,2025-01-02,2025-01-03,10.000000,10.400000,W,0.400000,0.000000"))
    }

    /// 10. acb #39, cgt-calc #668: splits inside the window broke share matching. Lots are matched
    /// by the shares as traded; splits are not applied to lots, and reports say so.
    @Test func splitsAreAStatedScopeLimit() throws {
        #expect(TaxPolicy.scopeLimits.contains { $0.contains("splits") })
        var trades = TaxTrades()
        trades.add("2025-01-02", .buy, "N", 10, "100")
        trades.add("2025-01-10", .sell, "N", 10, "90")
        trades.add("2025-01-12", .buy, "N", 20, "45")
        let state = try trades.run()
        #expect(state.openLots.map(\.quantity) == ["10", "10"])
        #expect(state.totalDisallowed == "100")
    }

    /// 11. deltadewa-handbook #13: Section 1256 contracts are never washed.
    @Test func deltadewa13NoWashOnSection1256() throws {
        var trades = TaxTrades()
        trades.add("2025-03-03", .buy, "SPXW250620C05800000", 1, "50")
        trades.add("2025-03-10", .sell, "SPXW250620C05800000", 1, "30")
        trades.add("2025-03-11", .buy, "SPXW250620C05800000", 1, "31")
        for policy in [TaxPolicy.default, TaxPolicy(identityMode: .underlyingFamily)] {
            let state = try trades.run(policy)
            #expect(state.washSales.isEmpty)
            #expect(state.closed("SPXW250620C05800000").first?.gain == "-2000")
        }
    }

    /// 12. TradeLog blog: brokers put short-sale wash adjustments in different places. The engine
    /// adds the disallowed loss to the replacement short's cost of covering (the 1099-B way), and
    /// the net once it is closed is the economic result either way.
    @Test func tradelogShortSaleAdjustmentGoesToTheReplacementsCost() throws {
        var trades = TaxTrades()
        trades.add("2025-05-01", .sellShort, "K", 10, "100")
        trades.add("2025-05-02", .buyToCover, "K", 10, "110")
        trades.add("2025-05-03", .sellShort, "K", 10, "105")
        trades.add("2025-05-04", .buyToCover, "K", 10, "100")
        let state = try trades.run()
        let replacement = state.closed("K")[1]
        #expect(replacement.proceeds == "1050")
        #expect(replacement.basis == "1100")
        #expect(replacement.washSaleAdjustment == "100")
        #expect(state.totalGain == "-50")
    }
}

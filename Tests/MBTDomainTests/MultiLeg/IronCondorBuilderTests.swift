import Foundation
import MBTDomain
import PropertyBased
import Testing

@Suite("Iron condor builder")
struct IronCondorBuilderTests {
    typealias F = ComboFixtures

    static func entry(_ right: OptionSymbol.Right, _ strike: Decimal6, _ delta: Decimal6?, _ bid: Decimal6, _ ask: Decimal6)
        -> OptionChainEntry
    {
        entry(contract: F.contract(right, strike), delta: delta, bid: bid, ask: ask)
    }

    static func entry(contract: OptionSymbol, delta: Decimal6?, bid: Decimal6, ask: Decimal6) -> OptionChainEntry {
        let quote = Quote(
            symbol: contract.description, bid: bid, ask: ask, bidSize: 1, askSize: 1, timestamp: Date(timeIntervalSince1970: 0))
        return OptionChainEntry(symbol: contract, quote: quote, delta: delta)
    }

    /// AAPL 2026-12-18, spot near 150: strikes 125–175 every 5.
    static let chain: [OptionChainEntry] = [
        entry(.call, 140, "0.72", "11.80", "12.20"), entry(.call, 145, "0.62", "7.90", "8.10"), entry(.call, 150, "0.50", "4.90", "5.10"),
        entry(.call, 155, "0.40", "2.95", "3.05"), entry(.call, 160, "0.30", "1.60", "1.70"), entry(.call, 165, "0.20", "0.80", "0.90"),
        entry(.call, 170, "0.12", "0.40", "0.50"), entry(.call, 175, "0.08", "0.15", "0.25"),
        entry(.put, 125, "-0.06", "0.10", "0.20"), entry(.put, 130, "-0.12", "0.30", "0.40"), entry(.put, 135, "-0.20", "0.60", "0.70"),
        entry(.put, 140, "-0.30", "1.20", "1.30"), entry(.put, 145, "-0.40", "2.20", "2.30"), entry(.put, 150, "-0.50", "4.80", "5.00"),
        entry(.put, 155, "-0.60", "7.80", "8.20"), entry(.put, 160, "-0.70", "11.70", "12.30"),
        // Another expiry and another root, which the builder must ignore.
        entry(contract: F.contract(.call, 160, expiry: F.farExpiry), delta: "0.30", bid: "3.00", ask: "3.10"),
        entry(contract: F.contract(.put, 135, root: "MSFT"), delta: "-0.20", bid: "5.00", ask: "5.10"),
    ]

    static func request(
        _ strikes: IronCondorRequest.ShortStrikes = .deltas(call: "0.30", put: "0.20"), width: Decimal6 = 5, qty: Decimal6 = 1,
        limit: Decimal6? = nil,
        expiry: MarketDate = F.expiry
    ) -> IronCondorRequest {
        IronCondorRequest(underlying: "AAPL", expiry: expiry, shortStrikes: strikes, wingWidth: width, qty: qty, limitPrice: limit)
    }

    struct StrikeRow: Sendable, CustomTestStringConvertible {
        let label: String
        let request: IronCondorRequest
        /// Long put, short put, short call, long call.
        let strikes: [Decimal6]

        var testDescription: String { label }
    }

    static let strikeRows: [StrikeRow] = [
        StrikeRow(label: "deltas 0.30 / 0.20, wings 5", request: request(), strikes: [130, 135, 160, 165]),
        StrikeRow(
            label: "delta ties go farther out of the money", request: request(.deltas(call: "0.25", put: "0.25")),
            strikes: [130, 135, 165, 170]),
        StrikeRow(label: "wings land on the nearest listed strike", request: request(width: 7), strikes: [130, 135, 160, 165]),
        StrikeRow(label: "wing ties go farther out of the money", request: request(width: "2.5"), strikes: [130, 135, 160, 165]),
        StrikeRow(
            label: "explicit strikes, wings 10", request: request(.strikes(call: 155, put: 145), width: 10), strikes: [135, 145, 155, 165]),
        StrikeRow(label: "wings wider than the listing stop at its edge", request: request(width: 50), strikes: [125, 135, 160, 175]),
    ]

    @Test(arguments: strikeRows)
    func picksStrikes(_ row: StrikeRow) throws {
        let preview = try IronCondorBuilder.build(row.request, chain: Self.chain).get()
        #expect([preview.longPutStrike, preview.shortPutStrike, preview.shortCallStrike, preview.longCallStrike] == row.strikes)
        let symbols = [F.put(row.strikes[0]), F.put(row.strikes[1]), F.call(row.strikes[2]), F.call(row.strikes[3])]
        #expect(preview.legs.map(\.symbol) == symbols)
        #expect(preview.legs.map(\.positionIntent) == [.buyToOpen, .sellToOpen, .sellToOpen, .buyToOpen])
        #expect(preview.legs.map(\.side) == [.buy, .sell, .sell, .buy])
        #expect(preview.legs.allSatisfy { $0.ratioQty == 1 })
    }

    @Test func previewsTheCondorAtTheMids() throws {
        let preview = try IronCondorBuilder.build(Self.request(qty: 2), chain: Self.chain).get()
        // Mids: +0.35 (130P) − 0.65 (135P) − 1.65 (160C) + 0.85 (165C) = −1.10.
        #expect(preview.netCredit == "1.10")
        #expect(preview.pricedAt == "-1.10")
        #expect(preview.maxProfit == 220)
        #expect(preview.maxLoss == 780)
        #expect(preview.buyingPowerRequired == 780)
        #expect(preview.breakEvenLow == "133.90")
        #expect(preview.breakEvenHigh == "161.10")
        #expect(preview.ticket.orderType == .market)
        #expect(preview.ticket.limitPrice == nil)
        #expect(preview.ticket.qty == 2)
    }

    @Test func aLimitPricesThePreviewAtTheLimit() throws {
        let preview = try IronCondorBuilder.build(Self.request(limit: "-1.00"), chain: Self.chain).get()
        #expect(preview.netCredit == "1.10")
        #expect(preview.pricedAt == "-1.00")
        #expect(preview.maxProfit == 100)
        #expect(preview.maxLoss == 400)
        #expect(preview.breakEvenLow == 134)
        #expect(preview.breakEvenHigh == 161)
        #expect(preview.ticket.orderType == .limit)
        #expect(preview.ticket.limitPrice == "-1.00")
        #expect(throws: Never.self) { try ComboValidator.validate(preview.ticket).get() }
    }

    @Test func putDeltasMayBeGivenAsMagnitudes() throws {
        let positive = Self.chain.map { entry in
            OptionChainEntry(symbol: entry.symbol, quote: entry.quote, delta: entry.delta.map(\.magnitude))
        }
        let preview = try IronCondorBuilder.build(Self.request(), chain: positive).get()
        #expect(preview.shortPutStrike == 135)
    }

    struct ErrorRow: Sendable, CustomTestStringConvertible {
        let label: String
        let request: IronCondorRequest
        var chain: [OptionChainEntry] = IronCondorBuilderTests.chain
        let field: String
        let message: String

        var testDescription: String { label }
    }

    static let errorRows: [ErrorRow] = [
        ErrorRow(
            label: "expiry not listed", request: request(expiry: F.nearExpiry), field: "expiry",
            message: "lists no calls for AAPL expiring 2026-11-20"),
        ErrorRow(
            label: "call delta at 0.5", request: request(.deltas(call: "0.5", put: "0.2")), field: "short_call_delta",
            message: "between 0 and 0.5"),
        ErrorRow(label: "put delta zero", request: request(.deltas(call: "0.3", put: "0")), field: "short_put_delta", message: "(got 0"),
        ErrorRow(
            label: "put delta negative", request: request(.deltas(call: "0.3", put: "-0.2")), field: "short_put_delta",
            message: "positive number"),
        ErrorRow(
            label: "no deltas in the chain", request: request(),
            chain: chain.map { OptionChainEntry(symbol: $0.symbol, quote: $0.quote, delta: nil) }, field: "short_put_delta",
            message: "has a delta"),
        ErrorRow(label: "wing width zero", request: request(width: 0), field: "wing_width", message: "greater than 0"),
        ErrorRow(
            label: "wing collapses onto the short put", request: request(width: 1), field: "wing_width",
            message: "nearest listed strike to 134.000000 is the short strike itself"),
        ErrorRow(
            label: "no strike beyond the short call", request: request(.strikes(call: 175, put: 135)), field: "wing_width",
            message: "no listed call beyond"),
        ErrorRow(
            label: "short call strike not listed", request: request(.strikes(call: "152.5", put: 135)), field: "short_call_strike",
            message: "nearest listed: 155"),
        ErrorRow(
            label: "short put above the short call", request: request(.strikes(call: 150, put: 155)), field: "short_put_strike",
            message: "must be below the short call strike"),
        ErrorRow(
            label: "short put at the short call", request: request(.strikes(call: 150, put: 150)), field: "short_put_strike",
            message: "must be below"),
        ErrorRow(label: "qty zero", request: request(qty: 0), field: "qty", message: "at least 1"),
        ErrorRow(label: "a debit limit", request: request(limit: "1.20"), field: "limit_price", message: "negative"),
        ErrorRow(label: "a limit in tenths of a cent", request: request(limit: "-1.105"), field: "limit_price", message: "2 decimals"),
        ErrorRow(
            label: "a wing without a bid", request: request(),
            chain: chain.map {
                $0.strike == 165 && $0.right == .call ? Self.entry(contract: $0.symbol, delta: "0.2", bid: 0, ask: "0.90") : $0
            },
            field: "legs[4]", message: "no usable quote"),
        ErrorRow(
            label: "quotes that price a debit", request: request(),
            chain: chain.map {
                $0.strike == 130 && $0.right == .put ? Self.entry(contract: $0.symbol, delta: "-0.12", bid: 3, ask: 3) : $0
            },
            field: "expiry", message: "net debit"),
    ]

    @Test(arguments: errorRows)
    func refuses(_ row: ErrorRow) {
        switch IronCondorBuilder.build(row.request, chain: row.chain) {
        case .success(let preview):
            Issue.record("built \(preview.legs.map(\.symbol)), expected \(row.field)")
        case .failure(let error):
            #expect(error.field == row.field, "\(error)")
            #expect(error.message.contains(row.message), "\(error.message)")
        }
    }

    /// Whatever the targets and width, a built condor is ordered wing < short < short < wing, risks
    /// the wider side less the credit, keeps the credit at best, and reserves its maximum loss.
    @Test func everyBuiltCondorIsConsistent() async {
        let deltas = Gen.int(in: 1...49)
        await propertyCheck(input: deltas, deltas, Gen.int(in: 1...16), Gen.int(in: 1...9)) { callDelta, putDelta, halfDollars, qty in
            let width = Decimal6(micros: Int64(halfDollars) * 500_000)
            let request = Self.request(
                .deltas(call: Decimal6(micros: Int64(callDelta) * 10_000), put: Decimal6(micros: Int64(putDelta) * 10_000)), width: width,
                qty: Decimal6(qty))
            switch IronCondorBuilder.build(request, chain: Self.chain) {
            case .failure(let error):
                #expect(["wing_width", "short_put_delta"].contains(error.field), "\(error)")
            case .success(let preview):
                #expect(preview.longPutStrike < preview.shortPutStrike)
                #expect(preview.shortPutStrike < preview.shortCallStrike)
                #expect(preview.shortCallStrike < preview.longCallStrike)
                let credit = preview.netCredit
                let wider = max(preview.shortPutStrike - preview.longPutStrike, preview.longCallStrike - preview.shortCallStrike)
                let units = Int64(100 * qty)
                let maxProfit = try credit.multiplied(by: units)
                let maxLoss = try max(wider - credit, .zero).multiplied(by: units)
                #expect(preview.maxProfit == maxProfit)
                #expect(preview.maxLoss == maxLoss)
                #expect(preview.buyingPowerRequired == preview.maxLoss)
                #expect(preview.breakEvenLow == preview.shortPutStrike - credit)
                #expect(preview.breakEvenHigh == preview.shortCallStrike + credit)
            }
        }
    }
}

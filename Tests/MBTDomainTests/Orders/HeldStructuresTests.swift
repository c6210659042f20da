import MBTDomain
import Testing

private let december = "2026-12-18"
private let january = "2027-01-15"
private let march = "2027-03-19"
private let june = "2027-06-18"

/// The OCC symbol of an AAPL (or `root`) option.
private func option(_ right: OptionSymbol.Right, _ strike: Decimal6, _ expiry: String = december, root: String = "AAPL") -> String {
    try! OptionSymbol(root: root, expiry: MarketDate(iso: expiry)!, right: right, strike: strike).description
}

private func long(_ symbol: String, _ quantity: Decimal6 = 1) -> HeldPosition {
    HeldPosition(symbol: symbol, side: .long, quantity: quantity, mark: 1)
}

private func short(_ symbol: String, _ quantity: Decimal6 = 1) -> HeldPosition {
    HeldPosition(symbol: symbol, side: .short, quantity: quantity, mark: 1)
}

private func put(_ strike: Decimal6, _ expiry: String = december, root: String = "AAPL") -> String {
    option(.put, strike, expiry, root: root)
}

private func call(_ strike: Decimal6, _ expiry: String = december, root: String = "AAPL") -> String {
    option(.call, strike, expiry, root: root)
}

/// Held short options covered by held long options hold back their width, not the short put's
/// collateral or the short call's shares (``HeldStructures``, ``BuyingPowerAccount/breakdown()``).
@Suite("Held structures")
struct HeldStructuresTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let label: String
        let positions: [HeldPosition]
        /// ``BuyingPowerAccount/Breakdown/putCollateral``.
        var puts: Decimal6 = .zero
        /// ``BuyingPowerAccount/Breakdown/callSpreadRequirement``.
        var calls: Decimal6 = .zero
        /// AAPL short call contracts shares must cover.
        var uncoveredCalls: Decimal6 = .zero

        var testDescription: String { label }
    }

    static let rows: [Row] = [
        Row(label: "a lone short put keeps its collateral", positions: [short(put(100), 2)], puts: 20_000),
        Row(label: "put credit spread: the width", positions: [short(put(100), 2), long(put(95), 2)], puts: 1_000),
        Row(label: "a long put above the short: nothing", positions: [short(put(100)), long(put(105))]),
        Row(
            label: "call credit spread: the width, no shares", positions: [short(call(100), 2), long(call(105), 2)], calls: 1_000),
        Row(label: "a long call below the short: nothing", positions: [short(call(100)), long(call(95))]),
        Row(label: "a lone short call: shares, no cash", positions: [short(call(100), 3)], uncoveredCalls: 3),
        Row(
            label: "iron condor, 3 units",
            positions: [long(put(90), 3), short(put(95), 3), short(call(105), 3), long(call(115), 3)], puts: 1_500, calls: 3_000),
        Row(label: "put calendar: the later long covers", positions: [short(put(100)), long(put(100, january))]),
        Row(label: "put diagonal: the later long covers, at its width", positions: [short(put(100)), long(put(90, june))], puts: 1_000),
        Row(label: "call calendar: the later long covers", positions: [short(call(100)), long(call(100, january))]),
        Row(
            label: "a long put expiring before the short does not cover", positions: [short(put(100, january)), long(put(95))],
            puts: 10_000),
        Row(
            label: "a long call expiring before the short does not cover", positions: [short(call(100, january)), long(call(105))],
            uncoveredCalls: 1),
        Row(label: "another root does not cover", positions: [short(put(100)), long(put(95, root: "MSFT"))], puts: 10_000),
        Row(label: "a call does not cover a put", positions: [short(put(100)), long(call(95))], puts: 10_000),
        Row(label: "a put does not cover a call", positions: [short(call(100)), long(put(105))], uncoveredCalls: 1),
        Row(
            label: "more short puts than long: the rest keep collateral", positions: [short(put(100), 3), long(put(95), 2)],
            puts: 11_000),
        Row(label: "more long puts than short: the spare longs idle", positions: [short(put(100)), long(put(95), 3)], puts: 500),
        Row(
            label: "more short calls than long: the rest need shares", positions: [short(call(100), 3), long(call(110), 1)],
            calls: 1_000, uncoveredCalls: 2),
        Row(
            label: "one short split over two longs", positions: [short(put(100), 3), long(put(95), 1), long(put(90), 2)],
            puts: 2_500),
        Row(
            label: "two short puts, one long: the dearer short takes it",
            positions: [short(put(100)), short(put(90)), long(put(95))], puts: 500 + 9_000),
        Row(
            label: "two short calls, one long: the narrower pair, the other on shares",
            positions: [short(call(100)), short(call(110)), long(call(105))], uncoveredCalls: 1),
        Row(
            label: "two long puts, one short: the higher strike covers",
            positions: [short(put(100)), long(put(90)), long(put(95))], puts: 500),
        Row(
            label: "two long calls, one short: the lower strike covers",
            positions: [short(call(100)), long(call(110)), long(call(105))], calls: 500),
        // Taking the best long for the dearest short first would pair the two 100s and leave the
        // 80 at 8,000; crosswise the shorts need 1,000.
        Row(
            label: "expiries decide: shorts pair crosswise",
            positions: [short(put(100, march)), short(put(80, june)), long(put(100, june)), long(put(90, march))], puts: 1_000),
        // Pairing both would move the 100 short to the 1 long (9,900); leaving the 1 short alone costs 100.
        Row(
            label: "puts: pairing fewer can cost less",
            positions: [short(put(1, june)), short(put(100, march)), long(put(100, june)), long(put(1, march))], puts: 100),
        // Calls pair as many as they can (shares are not cash): the 50 pairs with the 150 (10,000)
        // rather than with the 100 (5,000), which would leave the 100 on shares.
        Row(
            label: "calls: pairing more comes first",
            positions: [short(call(100, june)), short(call(50, march)), long(call(100, june)), long(call(150, march))],
            calls: 10_000),
        Row(
            label: "positions in one symbol add up",
            positions: [short(put(100)), short(put(100)), long(put(95)), long(put(95))], puts: 1_000),
    ]

    @Test(arguments: rows)
    func pairing(_ row: Row) throws {
        let structures = try HeldStructures(positions: row.positions)
        #expect(structures.putRequirement == row.puts)
        #expect(structures.callRequirement == row.calls)
        #expect(structures.uncoveredCalls(on: "AAPL") == row.uncoveredCalls)
        let breakdown = try BuyingPowerAccount(cash: 100_000, positions: row.positions).breakdown()
        #expect(breakdown.putCollateral == row.puts)
        #expect(breakdown.callSpreadRequirement == row.calls)
        #expect(breakdown.optionRequirement == row.puts + row.calls)
        #expect(breakdown.freeCash == 100_000 - row.puts - row.calls)
    }

    @Test func pairsNameTheirLegs() throws {
        let structures = try HeldStructures(positions: [short(put(100), 3), long(put(95), 2), short(call(110)), long(call(115, june))])
        #expect(
            structures.pairs.map { "\($0.short) \($0.long) \($0.contracts) \($0.requirement)" } == [
                "\(call(110)) \(call(115, june)) 1.000000 500.000000",
                "\(put(100)) \(put(95)) 2.000000 1000.000000",
            ])
        #expect(structures.unpaired.map { "\($0.short) \($0.contracts) \($0.requirement)" } == ["\(put(100)) 1.000000 10000.000000"])
    }

    @Test func freeCashCountsShortStockBesideTheSpreads() throws {
        let positions = [
            short(put(100)), long(put(95)), short(call(100)), long(call(110)),
            HeldPosition(symbol: "MSFT", side: .short, quantity: 10, mark: 100),
        ]
        let breakdown = try BuyingPowerAccount(cash: 10_000, positions: positions).breakdown()
        #expect(breakdown.shortStockRequirement == 1_500)
        // 10,000 − 1,500 (150% of the short stock) − 500 (the put spread) − 1,000 (the call spread).
        #expect(breakdown.freeCash == Decimal6(7_000))
    }

    // MARK: - Shares

    @Test func aCallSpreadLeavesTheSharesFreeForACoveredCall() {
        let account = BuyingPowerAccount(cash: 1_000, positions: [long("AAPL", 100), short(call(100)), long(call(105))])
        let decision = BuyingPower.check(
            instrument: .option(try! OptionSymbol(parsing: call(120))), side: .sell, quantity: 1, estimatedPrice: 1, account: account)
        #expect(decision == .allowed)
    }

    @Test func aCallSpreadLeavesTheSharesFreeToSell() {
        let account = BuyingPowerAccount(cash: 0, positions: [long("AAPL", 100), short(call(100)), long(call(105, january))])
        let decision = BuyingPower.check(instrument: .equity("AAPL"), side: .sell, quantity: 100, estimatedPrice: 100, account: account)
        #expect(decision == .allowed)
    }

    @Test func aLongCallExpiringFirstLeavesTheSharesCommitted() throws {
        let account = BuyingPowerAccount(cash: 0, positions: [long("AAPL", 100), short(call(100, january)), long(call(105))])
        let decision = BuyingPower.check(instrument: .equity("AAPL"), side: .sell, quantity: 100, estimatedPrice: 100, account: account)
        guard case .rejected(let rejection) = decision else {
            Issue.record("sold the shares covering a call the long outlives: \(decision)")
            return
        }
        #expect(rejection.code == OrderRejection.Code.uncoveredOption)
        #expect(rejection.message.contains("100 shares of AAPL cover short calls"))
    }

    // MARK: - Puts against free cash

    @Test func aPutSpreadLeavesRoomForAnotherCashSecuredPut() {
        // 10,000 of cash: the spread holds back 500, so a 90 put's 9,000 of collateral fits; with
        // the spread's full 10,000 of collateral it would not.
        let account = BuyingPowerAccount(cash: 10_000, positions: [short(put(100)), long(put(95))])
        let decision = BuyingPower.check(
            instrument: .option(try! OptionSymbol(parsing: put(90))), side: .sell, quantity: 1, estimatedPrice: 1, account: account)
        #expect(decision == .allowed)
    }
}

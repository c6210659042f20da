import MBTDomain
import Testing

/// Expiry outcomes: exercise by exception at ≥ 0.01 in the money, physical delivery for equity
/// options, cash for index options, worthless otherwise; long and short, calls and puts.
@Suite("Jobs: option expiry")
struct OptionExpiryTests {
    typealias F = JobFixtures

    static let expiry = F.date("2026-03-20")

    /// One row: a position, the underlying's price, and the expected close, delivery and cash.
    struct Row: Sendable, CustomTestStringConvertible {
        let label: String
        let symbol: String
        let side: PositionSide
        let contracts: Decimal6
        let price: Decimal6
        let rule: OptionExpiry.Rule
        let closePrice: Decimal6
        let stock: (side: OrderSide, shares: Decimal6)?
        let cash: Decimal6?

        var testDescription: String { label }
    }

    static let rows: [Row] = [
        // Physically settled equity options.
        Row(
            label: "long call ITM exercised", symbol: "AAPL260320C00150000", side: .long, contracts: 2, price: "155.20",
            rule: .exercise, closePrice: 0, stock: (.buy, 200), cash: nil),
        Row(
            label: "long put ITM exercised", symbol: "AAPL260320P00150000", side: .long, contracts: 3, price: "140",
            rule: .exercise, closePrice: 0, stock: (.sell, 300), cash: nil),
        Row(
            label: "short call ITM assigned", symbol: "AAPL260320C00150000", side: .short, contracts: 1, price: "160",
            rule: .assignment, closePrice: 0, stock: (.sell, 100), cash: nil),
        Row(
            label: "short put ITM assigned", symbol: "AAPL260320P00150000", side: .short, contracts: 4, price: "120",
            rule: .assignment, closePrice: 0, stock: (.buy, 400), cash: nil),
        Row(
            label: "long call exactly 0.01 ITM exercised", symbol: "AAPL260320C00150000", side: .long, contracts: 1, price: "150.01",
            rule: .exercise, closePrice: 0, stock: (.buy, 100), cash: nil),
        Row(
            label: "long put exactly 0.01 ITM exercised", symbol: "AAPL260320P00150000", side: .long, contracts: 1, price: "149.99",
            rule: .exercise, closePrice: 0, stock: (.sell, 100), cash: nil),
        Row(
            label: "short call exactly 0.01 ITM assigned", symbol: "AAPL260320C00150000", side: .short, contracts: 5, price: "150.01",
            rule: .assignment, closePrice: 0, stock: (.sell, 500), cash: nil),
        Row(
            label: "short put exactly 0.01 ITM assigned", symbol: "AAPL260320P00150000", side: .short, contracts: 1, price: "149.99",
            rule: .assignment, closePrice: 0, stock: (.buy, 100), cash: nil),
        Row(
            label: "long call 0.009 ITM expires", symbol: "AAPL260320C00150000", side: .long, contracts: 1, price: "150.009",
            rule: .expiry, closePrice: 0, stock: nil, cash: nil),
        Row(
            label: "long put 0.009 ITM expires", symbol: "AAPL260320P00150000", side: .long, contracts: 1, price: "149.991",
            rule: .expiry, closePrice: 0, stock: nil, cash: nil),
        Row(
            label: "short call 0.009999 ITM expires", symbol: "AAPL260320C00150000", side: .short, contracts: 1, price: "150.009999",
            rule: .expiry, closePrice: 0, stock: nil, cash: nil),
        Row(
            label: "short put 0.000001 ITM expires", symbol: "AAPL260320P00150000", side: .short, contracts: 1, price: "149.999999",
            rule: .expiry, closePrice: 0, stock: nil, cash: nil),
        Row(
            label: "long call at the money expires", symbol: "AAPL260320C00150000", side: .long, contracts: 1, price: "150",
            rule: .expiry, closePrice: 0, stock: nil, cash: nil),
        Row(
            label: "long put OTM expires", symbol: "AAPL260320P00150000", side: .long, contracts: 2, price: "170",
            rule: .expiry, closePrice: 0, stock: nil, cash: nil),
        Row(
            label: "short call OTM expires", symbol: "AAPL260320C00150000", side: .short, contracts: 2, price: "120",
            rule: .expiry, closePrice: 0, stock: nil, cash: nil),
        Row(
            label: "short put OTM expires", symbol: "AAPL260320P00150000", side: .short, contracts: 2, price: "180",
            rule: .expiry, closePrice: 0, stock: nil, cash: nil),
        // Cash-settled index options: PM-settled weeklies, AM-settled monthlies, minis, VIX.
        Row(
            label: "long SPXW call ITM cash", symbol: "SPXW260320C05000000", side: .long, contracts: 2, price: "5050",
            rule: .cashSettlement, closePrice: 50, stock: nil, cash: "10000"),
        Row(
            label: "short SPXW put ITM pays cash", symbol: "SPXW260320P05000000", side: .short, contracts: 1, price: "4950.5",
            rule: .cashSettlement, closePrice: "49.5", stock: nil, cash: "-4950"),
        Row(
            label: "long SPX monthly put ITM at the opening value", symbol: "SPX260320P05000000", side: .long, contracts: 3,
            price: "4990.12", rule: .cashSettlement, closePrice: "9.88", stock: nil, cash: "2964"),
        Row(
            label: "short NDX monthly call ITM", symbol: "NDX260320C20000000", side: .short, contracts: 1, price: "20000.01",
            rule: .cashSettlement, closePrice: "0.01", stock: nil, cash: "-1"),
        Row(
            label: "long XSP put OTM expires without cash", symbol: "XSP260320P00500000", side: .long, contracts: 10, price: "510",
            rule: .expiry, closePrice: 0, stock: nil, cash: nil),
        Row(
            label: "short NDXP call below the threshold expires", symbol: "NDXP260320C20000000", side: .short, contracts: 1,
            price: "20000.005", rule: .expiry, closePrice: 0, stock: nil, cash: nil),
        Row(
            label: "long RUTW call ITM", symbol: "RUTW260320C02000000", side: .long, contracts: 1, price: "2012.345678",
            rule: .cashSettlement, closePrice: "12.345678", stock: nil, cash: "1234.5678"),
        Row(
            label: "long VIX call ITM", symbol: "VIX260320C00020000", side: .long, contracts: 4, price: "21.5",
            rule: .cashSettlement, closePrice: "1.5", stock: nil, cash: "600"),
    ]

    @Test(arguments: rows)
    func outcome(_ row: Row) throws {
        let position = F.option(row.symbol, row.side, row.contracts)
        let result = try OptionExpiry.settle(position, on: Self.expiry, underlyingPrice: row.price)
        #expect(result.rule == row.rule)
        #expect(result.optionClose.symbol == row.symbol)
        #expect(result.optionClose.side == (row.side == .long ? .sell : .buy))
        #expect(result.optionClose.quantity == row.contracts)
        #expect(result.optionClose.price == row.closePrice)
        #expect(result.stockTrade?.side == row.stock?.side)
        #expect(result.stockTrade?.quantity == row.stock?.shares)
        if let trade = result.stockTrade {
            #expect(trade.symbol == F.contract(row.symbol).root)
            #expect(trade.price == F.contract(row.symbol).strike)
        }
        #expect(result.cashAmount == row.cash)
        #expect(result.positionSide == row.side)
        #expect(result.underlyingPrice == row.price)
    }

    @Test(arguments: [
        ("AAPL260320C00150000", "155.2", "5.2"), ("AAPL260320C00150000", "140", "0"), ("AAPL260320P00150000", "140", "10"),
        ("AAPL260320P00150000", "150.5", "0"), ("SPX260320C05000000", "5000.000001", "0.000001"),
    ] as [(String, Decimal6, Decimal6)])
    func intrinsicValue(_ symbol: String, price: Decimal6, expected: Decimal6) {
        #expect(OptionExpiry.intrinsicValue(of: F.contract(symbol), underlyingPrice: price) == expected)
    }

    @Test(arguments: [
        (
            "AAPL260320C00150000", .long, 2, "155.20",
            "AAPL260320C00150000 exercised: AAPL closed at 155.20, 5.20 in the money (≥ 0.01); bought 200 shares at 150.00"
        ),
        (
            "AAPL260320P00150000", .short, 1, "149.5",
            "AAPL260320P00150000 assigned: AAPL closed at 149.50, 0.50 in the money (≥ 0.01); bought 100 shares at 150.00"
        ),
        (
            "AAPL260320C00150000", .long, 1, "150.009",
            "AAPL260320C00150000 expired worthless: AAPL closed at 150.009, 0.009 in the money, below the 0.01 exercise threshold; closed at 0"
        ),
        (
            "AAPL260320P00150000", .short, 1, "151",
            "AAPL260320P00150000 expired worthless: AAPL closed at 151.00, out of the money; closed at 0"
        ),
        (
            "SPXW260320C05000000", .long, 2, "5050",
            "SPXW260320C05000000 cash-settled: SPX closed at 5050.00, 50.00 in the money (≥ 0.01); received 10000.00 (50.00 × 100 × 2)"
        ),
        (
            "SPX260320P05000000", .short, 1, "4990.12",
            "SPX260320P05000000 cash-settled: SPX settled at the open at 4990.12, 9.88 in the money (≥ 0.01); paid 988.00 (9.88 × 100 × 1)"
        ),
    ] as [(String, PositionSide, Decimal6, Decimal6, String)])
    func explanation(_ symbol: String, side: PositionSide, contracts: Decimal6, price: Decimal6, expected: String) throws {
        let result = try OptionExpiry.settle(F.option(symbol, side, contracts), on: Self.expiry, underlyingPrice: price)
        #expect(result.explanation == expected)
    }

    /// Standard monthlies on SPX, NDX and RUT settle at the open: third Friday, or the trading day
    /// before when that Friday is a holiday (Good Friday 2025-04-18, Juneteenth 2026-06-19).
    @Test(arguments: [
        ("SPX260320C05000000", true), ("NDX260417C20000000", true), ("RUT260918P02000000", true),
        ("SPX250417C05000000", true), ("SPX250418C05000000", false), ("SPX260618P05000000", true),
        ("SPX260619P05000000", false), ("SPX220414C04000000", true), ("SPX260313C05000000", false),
        ("SPXW260320C05000000", false), ("NDXP260417C20000000", false), ("RUTW260918P02000000", false),
        ("XSP260320C00500000", false), ("AAPL260320C00150000", false), ("VIX260318C00020000", false),
    ] as [(String, Bool)])
    func settlesAtOpen(_ symbol: String, expected: Bool) {
        #expect(OptionExpiry.settlesAtOpen(F.contract(symbol), calendar: F.calendar) == expected)
    }

    @Test(arguments: [
        (2026, 3, "2026-03-20"), (2026, 6, "2026-06-18"), (2025, 4, "2025-04-17"), (2026, 5, "2026-05-15"), (2026, 1, "2026-01-16"),
    ])
    func standardMonthlyExpiry(year: Int, month: Int, expected: String) {
        #expect(OptionExpiry.standardMonthlyExpiry(year: year, month: month, calendar: F.calendar) == F.date(expected))
    }

    @Test(arguments: [
        ("SPX", true), ("SPXW", true), ("XSP", true), ("NDXP", true), ("RUT", true), ("VIX", true), ("AAPL", false), ("SPY", false),
    ])
    func cashSettledRoots(_ root: String, expected: Bool) {
        #expect(OptionExpiry.isCashSettled(F.contract("\(root)260320C00100000")) == expected)
    }

    @Test func refusesWhatCannotExpire() {
        let call = "AAPL260320C00150000"
        #expect(throws: OptionExpiryError.notAnOption("AAPL")) {
            try OptionExpiry.settle(F.stock("AAPL", .long, 100), on: Self.expiry, underlyingPrice: 150)
        }
        #expect(throws: OptionExpiryError.notExpiring(symbol: call, expiry: Self.expiry, date: F.date("2026-03-19"))) {
            try OptionExpiry.settle(F.option(call, .long, 1), on: F.date("2026-03-19"), underlyingPrice: 150)
        }
        #expect(throws: OptionExpiryError.invalidQuantity(symbol: call, quantity: "1.5")) {
            try OptionExpiry.settle(F.option(call, .long, "1.5"), on: Self.expiry, underlyingPrice: 150)
        }
        #expect(throws: OptionExpiryError.invalidQuantity(symbol: call, quantity: 0)) {
            try OptionExpiry.settle(F.option(call, .long, 0), on: Self.expiry, underlyingPrice: 150)
        }
        #expect(throws: OptionExpiryError.nonPositivePrice(0)) {
            try OptionExpiry.settle(F.option(call, .long, 1), on: Self.expiry, underlyingPrice: 0)
        }
    }

    @Test func ruleRawValuesAreTheStoredNames() {
        #expect(OptionExpiry.Rule.allCases.map(\.rawValue) == ["expiry", "exercise", "assignment", "cash_settlement"])
    }
}

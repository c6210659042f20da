import Foundation
import MBTDomain
import PropertyBased
import Testing

@Suite("OCC option symbols")
struct OptionSymbolTests {
    static func date(_ iso: String) -> MarketDate { MarketDate(iso: iso)! }
    static func decimal(_ text: String) -> Decimal6 { try! Decimal6(parsing: text) }

    @Test(
        arguments: [
            ("AAPL260320C00150000", "AAPL", "2026-03-20", OptionSymbol.Right.call, "150"),
            ("AAPL260320P00150000", "AAPL", "2026-03-20", .put, "150"),
            ("SPXW251219P05000000", "SPXW", "2025-12-19", .put, "5000"),
            ("F270115C00002500", "F", "2027-01-15", .call, "2.5"),
            ("CSGP1260116C00077500", "CSGP1", "2026-01-16", .call, "77.5"),
            ("XSP240229P00500125", "XSP", "2024-02-29", .put, "500.125"),
            ("ABCDEF991231C99999999", "ABCDEF", "2099-12-31", .call, "99999.999"),
            ("Q000101P00000001", "Q", "2000-01-01", .put, "0.001"),
        ] as [(String, String, String, OptionSymbol.Right, String)])
    func parsesAndFormatsTableCases(text: String, root: String, expiry: String, right: OptionSymbol.Right, strike: String) throws {
        let symbol = try OptionSymbol(parsing: text)
        #expect(symbol.root == root)
        #expect(symbol.expiry == Self.date(expiry))
        #expect(symbol.right == right)
        #expect(symbol.strike == Self.decimal(strike))
        #expect(symbol.description == text)
        #expect(try OptionSymbol(root: root, expiry: Self.date(expiry), right: right, strike: Self.decimal(strike)) == symbol)
        #expect(OptionSymbol.isOptionSymbol(text))
    }

    @Test(
        arguments: [
            ("2.5", "00002500"),
            ("0.5", "00000500"),
            ("1", "00001000"),
            ("12.345", "00012345"),
            ("150", "00150000"),
            ("4200", "04200000"),
        ])
    func strikeIsThousandthsInEightDigits(strike: String, field: String) throws {
        let symbol = try OptionSymbol(root: "ABC", expiry: Self.date("2026-06-18"), right: .call, strike: Self.decimal(strike))
        #expect(symbol.description == "ABC260618C" + field)
    }

    /// Uppercase roots of 1–6 characters, some ending in an adjustment digit.
    static let roots = zip(Gen.uppercaseLetter.string(of: 1...6), Gen.int(in: 0...9).array(of: 0...1))
        .map { letters, digits in
            letters.count < 6 ? letters + digits.map(String.init).joined() : letters
        }
    static let firstExpiry = MarketDate(year: 2000, month: 1, day: 1)!.daysSinceEpoch
    static let lastExpiry = MarketDate(year: 2099, month: 12, day: 31)!.daysSinceEpoch
    static let expiries = Gen.int(in: firstExpiry...lastExpiry).map(MarketDate.init(daysSinceEpoch:))
    static let strikeMicros = Gen.int64(in: 1...99_999_999).map { Decimal6(micros: $0 * 1_000) }

    @Test func randomSymbolsRoundTrip() async {
        await propertyCheck(input: Self.roots, Self.expiries, Gen<OptionSymbol.Right>.case, Self.strikeMicros) {
            root, expiry, right, strike in
            let symbol = try OptionSymbol(root: root, expiry: expiry, right: right, strike: strike)
            let text = symbol.description
            let parsed = try OptionSymbol(parsing: text)
            #expect(parsed == symbol)
            #expect(parsed.description == text)
            #expect(text.utf8.count == root.utf8.count + 15)
            #expect(OptionSymbol.isOptionSymbol(text))

            let encoded = try JSONEncoder().encode([symbol])
            let decoded = try JSONDecoder().decode([OptionSymbol].self, from: encoded)
            #expect(decoded == [symbol])
        }
    }

    @Test(
        arguments: [
            ("AAPL260230C00150000", OptionSymbolError.badDate("260230")),
            ("AAPL250229C00150000", .badDate("250229")),
            ("AAPL261301C00150000", .badDate("261301")),
            ("AAPL260300C00150000", .badDate("260300")),
            ("aapl260320C00150000", .badRoot("aapl")),
            ("AAPL  260320C00150000", .badRoot("AAPL  ")),
            ("1AAPL260320C00150000", .badRoot("1AAPL")),
            ("AA1PL260320C00150000", .badRoot("AA1PL")),
            ("BRK.B260320C00150000", .badRoot("BRK.B")),
            ("TOOLONGX260320C00150000", .badRoot("TOOLONGX")),
            ("ÄAPL260320C00150000", .badRoot("ÄAPL")),
            ("260320C00150000", .malformed("260320C00150000")),
            ("AAPL260320X00150000", .badRight("X")),
            ("AAPL260320c00150000", .badRight("c")),
            ("AAPL260320C0015000", .malformed("AAPL260320C0015000")),
            ("AAPL260320C001500000", .malformed("AAPL260320C001500000")),
            ("AAPL260320C00000000", .badStrike("00000000")),
            ("AAPL260320C0015000A", .malformed("AAPL260320C0015000A")),
            ("AAPL260320C 0150000", .malformed("AAPL260320C 0150000")),
            ("AAPL 260320C00150000", .badRoot("AAPL ")),
            ("AAPL260320C00150000 ", .malformed("AAPL260320C00150000 ")),
            ("", .malformed("")),
            ("AAPL", .malformed("AAPL")),
        ] as [(String, OptionSymbolError)])
    func rejectsInvalidText(text: String, expected: OptionSymbolError) {
        #expect(throws: expected) { try OptionSymbol(parsing: text) }
    }

    @Test func isOptionSymbolChecksShapeOnly() {
        // Shape right, calendar wrong: an option symbol that parsing then rejects with a reason.
        #expect(OptionSymbol.isOptionSymbol("AAPL260230C00150000"))
        #expect(OptionSymbol.isOptionSymbol("AAPL260320C00000000"))
        for ticker in ["AAPL", "BRK.B", "SPY", "", "aapl260320C00150000", "AAPL260320X00150000", "TOOLONGX260320C00150000"] {
            #expect(!OptionSymbol.isOptionSymbol(ticker))
        }
    }

    @Test(
        arguments: [
            ("", "2026-03-20", "150", OptionSymbolError.badRoot("")),
            ("TOOLONG", "2026-03-20", "150", .badRoot("TOOLONG")),
            ("spx", "2026-03-20", "150", .badRoot("spx")),
            ("SPX", "1999-12-31", "150", .badDate("1999-12-31")),
            ("SPX", "2100-01-01", "150", .badDate("2100-01-01")),
            ("SPX", "2026-03-20", "0", .badStrike("0.000000")),
            ("SPX", "2026-03-20", "-5", .badStrike("-5.000000")),
            ("SPX", "2026-03-20", "100000", .badStrike("100000.000000")),
            ("SPX", "2026-03-20", "1.0005", .badStrike("1.000500")),
        ] as [(String, String, String, OptionSymbolError)])
    func rejectsInvalidParts(root: String, expiry: String, strike: String, expected: OptionSymbolError) {
        #expect(throws: expected) {
            try OptionSymbol(root: root, expiry: Self.date(expiry), right: .call, strike: Self.decimal(strike))
        }
    }

    @Test func codableUsesTheOCCString() throws {
        let symbol = try OptionSymbol(parsing: "AAPL260320C00150000")
        let json = String(decoding: try JSONEncoder().encode(["symbol": symbol]), as: UTF8.self)
        #expect(json == #"{"symbol":"AAPL260320C00150000"}"#)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(OptionSymbol.self, from: Data(#""AAPL260230C00150000""#.utf8))
        }
    }

    @Test func sortsByRootExpiryRightStrike() throws {
        let texts = [
            "AAPL260320C00150000", "AAPL260320C00155000", "AAPL260320P00145000", "AAPL260417C00100000", "MSFT260116C00400000",
        ]
        let symbols = try texts.map { text throws(OptionSymbolError) in try OptionSymbol(parsing: text) }
        #expect(symbols.shuffled().sorted() == symbols)
        #expect(OptionSymbol.contractMultiplier == 100)
    }

    @Test func errorsExplainThemselves() {
        #expect(OptionSymbolError.badDate("260230").description.contains("260230"))
        #expect(OptionSymbolError.malformed("XYZ").description.contains("AAPL260320C00150000"))
    }
}

@Suite("Cash-settled index option roots")
struct IndexOptionRootsTests {
    @Test(
        arguments: [
            ("SPX", "SPX"), ("SPXW", "SPX"), ("XSP", "XSP"), ("NDX", "NDX"), ("NDXP", "NDX"), ("RUT", "RUT"),
            ("RUTW", "RUT"), ("MRUT", "MRUT"), ("VIX", "VIX"), ("VIXW", "VIX"), ("OEX", "OEX"), ("XEO", "OEX"),
            ("DJX", "DJX"), ("NANOS", "NANOS"),
        ])
    func indexRootsAreCashSettled(root: String, index: String) {
        #expect(IndexOptionRoots.isCashSettled(root: root))
        #expect(IndexOptionRoots.cashSettled.contains(root))
        #expect(IndexOptionRoots.underlyingIndex(ofRoot: root) == index)
    }

    @Test(arguments: ["SPY", "QQQ", "IWM", "AAPL", "spx", "SPXW1", ""])
    func equityAndETFRootsAreNot(root: String) {
        #expect(!IndexOptionRoots.isCashSettled(root: root))
        #expect(IndexOptionRoots.underlyingIndex(ofRoot: root) == root)
    }

    @Test func everyRootIsAValidOptionRoot() throws {
        for root in IndexOptionRoots.cashSettled {
            let symbol = try OptionSymbol(root: root, expiry: MarketDate(year: 2026, month: 3, day: 20)!, right: .put, strike: 5000)
            #expect(IndexOptionRoots.isCashSettled(root: symbol.root))
            #expect(IndexOptionRoots.cashSettled.contains(IndexOptionRoots.underlyingIndex(ofRoot: root)))
        }
    }
}

import MBTDomain
import Testing

/// Dividend cash per position: longs credited rounded down to the cent, shorts debited rounded up.
@Suite("Jobs: dividend entitlement")
struct DividendEntitlementTests {
    typealias F = JobFixtures

    static let exDate = F.date("2026-05-11")

    static func dividend(rate: Decimal6, symbol: String = "KO") -> CorporateAction {
        .cashDividend(id: "ca-7", symbol: symbol, rate: rate, exDate: exDate, payableDate: F.date("2026-06-01"))
    }

    @Test(arguments: [
        ("long whole cents", PositionSide.long, Decimal6(100), Decimal6("0.24"), Decimal6("24.00")),
        ("short whole cents", .short, 100, "0.24", "-24.00"),
        ("long sub-cent rounds down", .long, 33, "0.3333", "10.99"),
        ("short sub-cent rounds up", .short, 33, "0.3333", "-11.00"),
        ("long fractional shares", .long, "0.5", "0.25", "0.12"),
        ("short fractional shares", .short, "0.5", "0.25", "-0.13"),
        ("long awkward", .long, "1234.567", "0.123456", "152.41"),
        ("short awkward", .short, "1234.567", "0.123456", "-152.42"),
        ("short owes a cent for a sliver", .short, "0.01", "0.25", "-0.01"),
        ("large long", .long, 1_000_000, "1.515151", "1515151.00"),
    ] as [(String, PositionSide, Decimal6, Decimal6, Decimal6)])
    func amount(_ label: String, side: PositionSide, shares: Decimal6, rate: Decimal6, expected: Decimal6) throws {
        let position = F.stock("KO", side, shares)
        let entitlement = try #require(try DividendEntitlement.entitlement(for: Self.dividend(rate: rate), position: position, userID: 42))
        #expect(entitlement.amount == expected, "\(label)")
        #expect(entitlement.side == side)
        #expect(entitlement.quantity == shares)
        #expect(entitlement.rate == rate)
        #expect(entitlement.exDate == Self.exDate)
        #expect(entitlement.dedupeKey == "dividend:ca-7:42")
    }

    @Test func nothingOwedWhenTheCreditRoundsToZero() throws {
        let position = F.stock("KO", .long, "0.01")
        #expect(try DividendEntitlement.entitlement(for: Self.dividend(rate: "0.25"), position: position, userID: 1) == nil)
    }

    /// Entitlement follows the previous close: a position opened on the ex-date gets nothing.
    @Test(arguments: [
        ("opened the evening before", "2026-05-08T20:30:00Z", true),
        ("opened a minute before midnight", "2026-05-11T03:59:00Z", true),
        ("opened at the ex-date's midnight", "2026-05-11T04:00:00Z", false),
        ("opened on the ex-date", "2026-05-11T14:00:00Z", false),
    ])
    func entitledOnlyIfHeldBeforeTheExDate(_ label: String, openedAt: String, entitled: Bool) throws {
        let position = F.stock("KO", .long, 10, openedAt: F.utc(openedAt))
        let entitlement = try DividendEntitlement.entitlement(for: Self.dividend(rate: "0.5"), position: position, userID: 1)
        #expect((entitlement != nil) == entitled, "\(label)")
    }

    @Test func explanations() throws {
        let long = try #require(
            try DividendEntitlement.entitlement(for: Self.dividend(rate: "0.3333"), position: F.stock("KO", .long, 33), userID: 1))
        #expect(
            long.explanation
                == "KO cash dividend 0.3333 per share on 33 KO shares held long at the close before the ex-date 2026-05-11: credited 10.99 (rounded down to the cent)"
        )
        let short = try #require(
            try DividendEntitlement.entitlement(for: Self.dividend(rate: "0.3333"), position: F.stock("KO", .short, 33), userID: 1))
        #expect(
            short.explanation
                == "KO cash dividend 0.3333 per share on 33 KO shares held short at the close before the ex-date 2026-05-11: debited 11.00 owed to the share lender (rounded up to the cent)"
        )
    }

    @Test func dedupeKeyFormat() {
        #expect(DividendEntitlement.dedupeKey(actionID: "abc-123", userID: 9) == "dividend:abc-123:9")
    }

    @Test func refusals() {
        let position = F.stock("KO", .long, 10)
        #expect(throws: DividendEntitlementError.nonPositiveRate(actionID: "ca-7", rate: 0)) {
            try DividendEntitlement.entitlement(for: Self.dividend(rate: 0), position: position, userID: 1)
        }
        #expect(throws: DividendEntitlementError.nonPositiveRate(actionID: "ca-7", rate: "-0.1")) {
            try DividendEntitlement.entitlement(for: Self.dividend(rate: "-0.1"), position: position, userID: 1)
        }
        let split = CorporateAction.split(id: "ca-8", symbol: "KO", newRate: 2, oldRate: 1, exDate: Self.exDate)
        #expect(throws: DividendEntitlementError.notADividend("ca-8")) {
            try DividendEntitlement.entitlement(for: split, position: position, userID: 1)
        }
        #expect(throws: DividendEntitlementError.symbolMismatch(position: "PEP", action: "KO")) {
            try DividendEntitlement.entitlement(for: Self.dividend(rate: "0.5"), position: F.stock("PEP", .long, 10), userID: 1)
        }
        let option = F.option("KO260515C00060000", .long, 1)
        #expect(throws: DividendEntitlementError.notAStockPosition("KO260515C00060000")) {
            try DividendEntitlement.entitlement(for: Self.dividend(rate: "0.5", symbol: "KO260515C00060000"), position: option, userID: 1)
        }
    }
}

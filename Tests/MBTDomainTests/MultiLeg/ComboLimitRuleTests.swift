import MBTDomain
import PropertyBased
import Testing

@Suite("Combo limit rule")
struct ComboLimitRuleTests {
    typealias F = ComboFixtures

    struct Row: Sendable, CustomTestStringConvertible {
        let label: String
        let netMid: Decimal6
        let limit: Decimal6
        let crosses: Bool

        var testDescription: String { label }
    }

    static let rows: [Row] = [
        Row(label: "debit: mid below the limit pays less", netMid: "1.10", limit: "1.20", crosses: true),
        Row(label: "debit: mid at the limit", netMid: "1.20", limit: "1.20", crosses: true),
        Row(label: "debit: mid above the limit", netMid: "1.21", limit: "1.20", crosses: false),
        Row(label: "credit: mid receives more", netMid: "-1.30", limit: "-1.20", crosses: true),
        Row(label: "credit: mid at the limit", netMid: "-1.20", limit: "-1.20", crosses: true),
        Row(label: "credit: mid receives less", netMid: "-1.19", limit: "-1.20", crosses: false),
        Row(label: "credit limit, mid a debit", netMid: "0.05", limit: "-0.50", crosses: false),
        Row(label: "debit limit, mid a credit", netMid: "-0.05", limit: "0.50", crosses: true),
        Row(label: "even-money limit, mid a small credit", netMid: "-0.01", limit: 0, crosses: true),
    ]

    @Test(arguments: rows)
    func crossing(_ row: Row) {
        #expect(ComboLimitRule.crosses(netMid: row.netMid, limit: row.limit) == row.crosses)
    }

    /// Stated in the trader's words: for a debit, pay at most the limit; for a credit, receive at
    /// least the limit's credit; a mid on the other side of zero from a credit limit never fills.
    @Test func crossesExactlyWhenTheTraderPaysNoMoreOrReceivesNoLess() async {
        let cents = Gen.int64(in: -5_000...5_000)
        await propertyCheck(input: cents, cents) { midCents, limitCents in
            let mid = Decimal6(micros: midCents * 10_000)
            let limit = Decimal6(micros: limitCents * 10_000)
            let expected: Bool
            if limit.isPositive {
                expected = mid.isPositive ? mid <= limit : true  // paying less, or being paid, beats a debit limit
            } else {
                let creditAsked = limit.magnitude
                expected = mid.isNegative || mid.isZero ? mid.magnitude >= creditAsked : false
            }
            #expect(ComboLimitRule.crosses(netMid: mid, limit: limit) == expected, "mid \(mid) limit \(limit)")
            // A better price for the trader never turns a fill into a rest.
            if ComboLimitRule.crosses(netMid: mid, limit: limit) {
                #expect(ComboLimitRule.crosses(netMid: mid - TickSize.penny, limit: limit))
                #expect(ComboLimitRule.crosses(netMid: mid, limit: limit + TickSize.penny))
            }
        }
    }

    static let condor = [F.buy(F.put(135)), F.sell(F.put(140)), F.sell(F.call(160)), F.buy(F.call(165))]
    static let quotes = [
        F.put(135): F.quote(F.put(135), bid: "0.35", ask: "0.45"),
        F.put(140): F.quote(F.put(140), bid: "1.05", ask: "1.15"),
        F.call(160): F.quote(F.call(160), bid: "1.25", ask: "1.35"),
        F.call(165): F.quote(F.call(165), bid: "0.50", ask: "0.60"),
    ]

    @Test func aRestingCreditCondorFillsAtTheMidsOnceTheyPayEnough() throws {
        // Mids: −0.40 + 1.10 + 1.30 − 0.55 = 1.45 credit.
        let rests = try ComboLimitRule.fill(F.combo(Self.condor, limit: "-1.50"), quotes: Self.quotes, now: F.now, maxAge: 60).get()
        #expect(rests == nil)
        let fills = try ComboLimitRule.fill(F.combo(Self.condor, qty: 2, limit: "-1.45"), quotes: Self.quotes, now: F.now, maxAge: 60).get()
        #expect(fills?.netPrice == "-1.45")
        #expect(fills?.cashEffect == 290)
        #expect(fills?.legPrices == ["0.40", "1.10", "1.30", "0.55"])
    }

    @Test func aRestingComboThatCannotBePricedNamesTheLeg() {
        var quotes = Self.quotes
        quotes[F.call(165)] = nil
        let result = ComboLimitRule.fill(F.combo(Self.condor, limit: "-1.00"), quotes: quotes, now: F.now, maxAge: 60)
        guard case .failure(let error) = result else {
            Issue.record("priced without a quote for the call wing")
            return
        }
        #expect(error.field == "legs[4]")
    }
}

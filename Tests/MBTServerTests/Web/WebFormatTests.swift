import MBTDomain
import Testing

@testable import MBTServer

@Suite("Web formatting and the equity curve")
struct WebFormatTests {
    @Test(
        arguments: [
            ("0", "$0.00"), ("1234567.125", "$1,234,567.13"), ("-3.105", "-$3.11"), ("999.994999", "$999.99"), ("100000", "$100,000.00"),
        ] as [(Decimal6, String)])
    func money(value: Decimal6, text: String) {
        #expect(WebFormat.money(value) == text)
    }

    @Test func signedPricesAndQuantities() {
        #expect(WebFormat.signedMoney("12.5") == "+$12.50")
        #expect(WebFormat.signedMoney("-0.004") == "$0.00")
        #expect(WebFormat.signedMoney("-7") == "-$7.00")
        #expect(WebFormat.price("172.6") == "172.60")
        #expect(WebFormat.price("0.0525") == "0.0525")
        #expect(WebFormat.price("1234.123456") == "1,234.123456")
        #expect(WebFormat.quantity("10") == "10")
        #expect(WebFormat.quantity("0.5") == "0.5")
        #expect(WebFormat.quantity("-1250") == "-1,250")
        #expect(WebFormat.tone("0.001") == "flat")
        #expect(WebFormat.tone("-1") == "loss")
    }

    @Test func theCurveScalesExactValuesAndEscapesItsText() throws {
        let day = try #require(MarketDate(year: 2026, month: 3, day: 16))
        let points = EquityCurve.points(
            snapshots: [(day, "100000"), (day.adding(days: 1), "101000"), (day.adding(days: 2), "99999")], today: day.adding(days: 2),
            liveEquity: "102000")
        #expect(points.count == 3, "today's snapshot gives way to the live point")
        #expect(points.last == EquityCurve.Point(date: day.adding(days: 2), equity: "102000"))
        let svg = EquityCurve(points: points, startingBalance: "100000", range: .month).svg
        // Highest value at the top padding, lowest (the starting balance) at the bottom.
        #expect(svg.contains(#"<polyline class="equity" points="14,206 320,110 626,14"/>"#))
        #expect(svg.contains(#"<line class="baseline" x1="14" y1="206" x2="626" y2="206">"#))
        #expect(svg.contains("<title>2026-03-18 (now): $102,000.00</title>"))
        #expect(HTMLText.escape(#"<a href="x">'&'</a>"#) == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
    }

    @Test func anEmptyHistoryIsOneLivePointMidWidth() {
        let today = MarketDate(year: 2026, month: 3, day: 18)!
        let svg = EquityCurve(
            points: EquityCurve.points(snapshots: [], today: today, liveEquity: "100000"), startingBalance: "100000", range: .week
        ).svg
        #expect(svg.contains(#"cx="320" cy="110""#))
        #expect(!svg.contains("polyline"))
    }
}

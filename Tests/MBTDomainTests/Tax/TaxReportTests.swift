import Foundation
import MBTDomain
import Testing

/// What reports show: Form 8949 rows and the JSON document.
@Suite("Tax reports")
struct TaxReportTests {
    /// moosetechsoftware's wash-sale line (`tax-rules.md` §1.11): proceeds $4,800, basis $5,200,
    /// code W, adjustment $400, gain $0 — with the sale and the repurchase that produce it.
    @Test func form8949WashSaleLine() throws {
        var trades = TaxTrades()
        trades.add("2025-01-06", .buy, "XYZ", 100, "52")
        trades.add("2025-02-03", .sell, "XYZ", 100, "48")
        trades.add("2025-02-10", .buy, "XYZ", 100, "47")
        trades.add("2026-03-02", .sell, "XYZ", 100, "60")
        let csv = Form8949.csv(try trades.run().dispositionsInSaleOrder)
        #expect(
            csv == """
                part,description,date_acquired,date_sold,proceeds,cost_basis,adjustment_code,adjustment_amount,gain_or_loss
                I,100 XYZ,2025-01-06,2025-02-03,4800.000000,5200.000000,W,400.000000,0.000000
                II,100 XYZ,2025-01-13,2026-03-02,6000.000000,5100.000000,,,900.000000

                """)
    }

    @Test func form8949PutsSection1256RowsLast() throws {
        var trades = TaxTrades()
        trades.add("2025-01-06", .buy, "SPX250620C05800000", 1, "10")
        trades.add("2025-01-07", .sellShort, "AAPL", 5, "200")
        trades.add("2025-02-03", .sell, "SPX250620C05800000", 1, "12")
        trades.add("2025-02-04", .buyToCover, "AAPL", 5, "190")
        let lines = Form8949.csv(try trades.run().dispositionsInSaleOrder).split(separator: "\n")
        #expect(lines[1] == "I,5 AAPL (short sale),2025-01-07,2025-02-04,1000.000000,950.000000,,,50.000000")
        #expect(lines[2] == "6781,1 SPX250620C05800000,2025-01-06,2025-02-03,1200.000000,1000.000000,,,200.000000")
    }

    @Test func jsonDocumentUsesSnakeCaseStringsAndDates() throws {
        var trades = TaxTrades()
        trades.add("2025-01-06", .buy, "XYZ", 100, "52")
        trades.add("2025-02-03", .sell, "XYZ", 100, "48")
        trades.add("2025-02-10", .buy, "XYZ", 100, "47")
        let document = TaxReportDocument(state: try trades.run(), method: .fifo, year: 2025)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try #require(try JSONSerialization.jsonObject(with: encoder.encode(document)) as? [String: Any])
        let disposition = try #require((json["dispositions"] as? [[String: Any]])?.first)
        #expect(disposition["adjusted_acquired"] as? String == "2025-01-06")
        #expect(disposition["wash_sale_disallowed"] as? String == "400.000000")
        #expect(disposition["gain"] as? String == "0.000000")
        #expect(disposition["term"] as? String == "short")
        #expect(disposition["section_1256"] as? Bool == false)
        let lot = try #require((json["open_lots"] as? [[String: Any]])?.first)
        #expect(lot["basis"] as? String == "5100.000000")
        #expect(lot["adjusted_acquired"] as? String == "2025-01-13")
        let summary = try #require((json["summaries"] as? [[String: Any]])?.first)
        #expect((summary["total"] as? [String: Any])?["wash_sale_disallowed"] as? String == "400.000000")
        #expect(json["year"] as? Int == 2025)
    }

    @Test func summaryPerSymbolAndYear() throws {
        var trades = TaxTrades()
        trades.add("2024-01-02", .buy, "A", 10, "10")
        trades.add("2024-06-03", .buy, "B", 10, "10")
        trades.add("2025-03-03", .sell, "A", 10, "12")
        trades.add("2025-03-03", .sell, "B", 10, "9")
        let summary = try trades.run().summary(year: 2025)
        #expect(summary.total.longTermGain == 20)
        #expect(summary.total.shortTermGain == -10)
        #expect(summary.bySymbol["A"]?.longTermGain == 20)
        #expect(summary.bySymbol["B"]?.shortTermGain == -10)
        #expect(try trades.run().summary(year: 2024).total == TaxSummary.Figures())
    }
}

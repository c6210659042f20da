import Foundation
import Testing

/// `mbt tax report`, run as a child process on trades files in a temporary folder; no database.
@Suite("mbt tax report")
struct TaxReportCommandTests {
    /// Writes `text` to a fresh temporary file and returns its path.
    static func file(_ text: String, name: String = "trades.csv") throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mbt-tax-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// The record's same-day buy → loss sale → buy again, then a later sale.
    static let trades = """
        date,action,symbol,quantity,price,fees
        2026-06-15,buy,AAPL,100,200,1
        2026-06-15,sell,AAPL,100,195,1
        2026-06-15,buy,AAPL,100,196,1
        2026-07-01,sell,AAPL,40,210,1
        2026-07-02,buy,SPXW260918C06000000,1,20,0.65

        """

    @Test func jsonReport() async throws {
        let path = try Self.file(Self.trades)
        let outcome = try await CLIProcess.run(
            ["tax", "report", "--trades", path, "--year", "2026"], environment: ["DATABASE_URL": "sqlite:///nonexistent/dir/x.sqlite"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.isEmpty)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let dispositions = try #require(json["dispositions"] as? [[String: Any]])
        #expect(dispositions.count == 2)
        let washed = dispositions[0]
        #expect(washed["symbol"] as? String == "AAPL")
        #expect(washed["quantity"] as? String == "100.000000")
        #expect(washed["acquired"] as? String == "2026-06-15")
        #expect(washed["sold"] as? String == "2026-06-15")
        #expect(washed["proceeds"] as? String == "19499.000000")
        #expect(washed["basis"] as? String == "20001.000000")
        #expect(washed["wash_sale_disallowed"] as? String == "502.000000")
        #expect(washed["gain"] as? String == "0.000000")
        #expect(washed["term"] as? String == "short")
        #expect(washed["section_1256"] as? Bool == false)
        let later = dispositions[1]
        // 40 of the replacement's 100 shares: basis (19601 + 502) × 40 % = 8041.2, proceeds 8400 − 1.
        #expect(later["basis"] as? String == "8041.200000")
        #expect(later["proceeds"] as? String == "8399.000000")
        #expect(later["gain"] as? String == "357.800000")
        #expect(later["adjusted_acquired"] as? String == "2026-06-15")
        let lots = try #require(json["open_lots"] as? [[String: Any]])
        #expect(lots.map { $0["symbol"] as? String } == ["AAPL", "SPXW260918C06000000"])
        #expect(lots[0]["quantity"] as? String == "60.000000")
        #expect(lots[0]["basis"] as? String == "12061.800000")
        #expect(lots[1]["basis"] as? String == "2000.650000")
        #expect(lots[1]["section_1256"] as? Bool == true)
    }

    @Test func csvReport() async throws {
        let path = try Self.file(Self.trades)
        let outcome = try await CLIProcess.run(["tax", "report", "--trades", path, "--format", "csv", "--method", "lifo"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n")
        #expect(
            lines.first == "part,description,date_acquired,date_sold,proceeds,cost_basis,adjustment_code,adjustment_amount,gain_or_loss")
        #expect(lines.dropFirst().first == "I,100 AAPL,2026-06-15,2026-06-15,19499.000000,20001.000000,W,502.000000,0.000000")
        #expect(lines.count == 3)
    }

    @Test func badRowsExitOneWithTheirLineNumbers() async throws {
        let path = try Self.file(
            """
            date,action,symbol,quantity,price
            2026-06-15,buy,AAPL,100,200
            2026-13-01,buy,AAPL,100,200
            2026-06-16,sell,AAPL,abc,200
            2026-06-17,sell,AAPL,10,200
            2026-06-18,hold,AAPL,10,200

            """)
        let outcome = try await CLIProcess.run(["tax", "report", "--trades", path])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.stderrLines.count == 1, "\(outcome.stderr)")
        let message = try #require(outcome.stderrLines.first)
        #expect(message.hasPrefix("mbt: error: \(path): 3 bad rows: "))
        #expect(message.contains("line 3: "))
        #expect(message.contains("line 4: "))
        #expect(message.contains("line 6: "))
        #expect(!message.contains("line 5: "))
    }

    @Test func engineErrorsNameTheLine() async throws {
        let path = try Self.file("date,action,symbol,quantity,price\n2026-06-15,buy,AAPL,10,200\n2026-06-16,sell,AAPL,11,200\n")
        let outcome = try await CLIProcess.run(["tax", "report", "--trades", path])
        #expect(outcome.status == 1)
        #expect(outcome.stderrLines == ["mbt: error: \(path): line 3: closes 11.000000 AAPL but only 10.000000 is open long"])
    }

    @Test(arguments: [
        ["tax", "report"], ["tax", "report", "--trades", "x.csv", "--method", "average"],
        ["tax", "report", "--trades", "x.csv", "--year", "20"],
    ])
    func badArgumentsExit64(arguments: [String]) async throws {
        let outcome = try await CLIProcess.run(arguments)
        #expect(outcome.status == 64)
        #expect(outcome.stderrLines.count == 1, "\(outcome.stderr)")
    }

    @Test func missingFileIsOneLine() async throws {
        let outcome = try await CLIProcess.run(["tax", "report", "--trades", "/nonexistent/trades.csv"])
        #expect(outcome.status == 1)
        #expect(outcome.stderrLines.count == 1)
        #expect(outcome.stderr.contains("cannot read /nonexistent/trades.csv"))
    }
}

import Foundation
import Testing

/// The bar-loop benchmark runs end to end at a small size, so it keeps working between the
/// release runs whose figures go into the issues.
@Suite("mbt bench bars at a small size")
struct BarBenchCommandTests {
    @Test(arguments: [
        ["bench", "bars", "tick", "--orders", "2000", "--symbols", "20", "--users", "10"],
        ["bench", "bars", "catch-up", "--orders", "1000", "--symbols", "5", "--users", "10"],
    ])
    func benchRunsAndLeavesACleanLedger(arguments: [String]) async throws {
        let outcome = try await CLIProcess.run(arguments)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("ledger check: clean"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("write fills"), "\(outcome.stdout)")
    }

    @Test func theComboBenchFillsTheCrossedCombosAndLeavesACleanLedger() async throws {
        let outcome = try await CLIProcess.run(["bench", "bars", "combos", "--orders", "400", "--users", "10", "--crossed-percent", "5"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("tick: 20 combos filled (4 legs each) of 400 resting"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("ledger check: clean"), "\(outcome.stdout)")
    }

    /// A workload from files: bars in Alpaca's JSON, orders as CSV, the fills written back by the
    /// orders' own ids (docs/performance.md).
    @Test func theCatchUpTakesItsWorkloadFromFilesAndWritesTheFills() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mbt-workload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let bars = folder.appendingPathComponent("bars.json")
        try #"""
            {"bars":{"AAPL":[{"t":"2026-03-20T13:30:00Z","o":100,"h":100.5,"l":99.5,"c":100,"v":100},
            {"t":"2026-03-20T13:31:00Z","o":100,"h":101,"l":98.9,"c":99,"v":100},
            {"t":"2026-03-20T13:32:00Z","o":99,"h":99.5,"l":98.5,"c":99,"v":100}]}}
            """#.write(to: bars, atomically: true, encoding: .utf8)
        let orders = folder.appendingPathComponent("orders.csv")
        try "id,symbol,side,qty,limit_price,time_in_force\nb1,AAPL,buy,2,99.00,gtc\nb2,AAPL,buy,1,90,day\n"
            .write(to: orders, atomically: true, encoding: .utf8)
        let fills = folder.appendingPathComponent("fills.csv")

        let outcome = try await CLIProcess.run([
            "bench", "bars", "catch-up", "--bars", bars.path, "--orders", orders.path, "--fills-out", fills.path, "--users", "2",
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("setup: 2 resting orders over 1 symbols, 3 bars"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("ledger check: clean"), "\(outcome.stdout)")
        let lines = try String(contentsOf: fills, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "id,t,price")
        #expect(lines.count == 2, "only b1 crosses: \(lines)")
        #expect(lines.last?.hasPrefix("b1,2026-03-20T13:3") == true && lines.last?.hasSuffix(",99.000000") == true, "\(lines)")
    }

    @Test func aBadOrderLineIsNamed() async throws {
        let orders = FileManager.default.temporaryDirectory.appendingPathComponent("mbt-orders-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: orders) }
        try "b1,AAPL,buy,1,99,gtc\nb2,AAPL,hold,1,99,gtc\n".write(to: orders, atomically: true, encoding: .utf8)
        let outcome = try await CLIProcess.run(["bench", "bars", "catch-up", "--orders", orders.path, "--symbols", "1", "--users", "1"])
        #expect(outcome.status == 1)
        #expect(outcome.stderrLines == ["mbt: error: \(orders.path) line 2: side must be buy or sell"])
    }

    @Test func refusesADatabaseThatIsNotEmpty() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mbt-bench-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let url = "sqlite://\(path)"
        #expect(try await CLIProcess.run(["migrate", "up"], environment: ["DATABASE_URL": url]).status == 0)
        #expect(try await CLIProcess.run(["users", "create", "someone"], environment: ["DATABASE_URL": url]).status == 0)
        let outcome = try await CLIProcess.run(["bench", "bars", "--orders", "10", "--symbols", "1", "--database-url", url])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("empty database"), "\(outcome.stderr)")
    }
}

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

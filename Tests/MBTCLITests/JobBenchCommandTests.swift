import Foundation
import Testing

/// The daily-job benchmark runs end to end at a small size, so it keeps working between the
/// release runs whose figures go into the issues.
@Suite("mbt bench jobs at a small size")
struct JobBenchCommandTests {
    @Test func expirySettlesEveryPositionAndLeavesACleanLedger() async throws {
        let outcome = try await CLIProcess.run(["bench", "jobs", "expiry", "--accounts", "50", "--positions", "500"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("expiry: 50 accounts, 500 positions settled, succeeded"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("ledger check: clean"), "\(outcome.stdout)")
    }

    @Test func snapshotTakesOneRowPerAccount() async throws {
        let outcome = try await CLIProcess.run(["bench", "jobs", "snapshot", "--accounts", "300"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("snapshot: 300 accounts, 300 rows, succeeded"), "\(outcome.stdout)")
    }
}

/// The order benchmark's multi-leg case runs end to end at a small size: iron condors over HTTP,
/// opened and closed, every answer 2xx and the ledger clean.
@Suite("mbt bench orders --multi-leg at a small size")
struct MultiLegOrderBenchTests {
    @Test func condorsOverHTTPLeaveACleanLedger() async throws {
        let outcome = try await CLIProcess.run(["bench", "orders", "--multi-leg", "--seconds", "0.5", "--warmup", "0", "--clients", "2"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("4-leg iron condor"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("errors: 0") && outcome.stdout.contains("0 violations"), "\(outcome.stdout)")
    }
}

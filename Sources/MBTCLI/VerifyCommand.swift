import ArgumentParser
import MBTStorage
import MBTTrading

/// `mbt verify`: reconciles the ledger of every account; exits non-zero on any disagreement.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check that cash, positions, orders and fills agree for every account.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let report = try await CommandEnvironment.withCurrentSchema(try database.resolve(), logger: CommandEnvironment.logger()) {
            try await LedgerVerifier(database: $0).verify()
        }
        for violation in report.violations { print("VIOLATION \(violation)") }
        print("checked \(report.accountsChecked) account(s), \(report.fillsChecked) fill(s): \(report.violations.count) violation(s)")
        if !report.violations.isEmpty {
            throw CommandFailure("the ledger does not reconcile: \(report.violations.count) violation(s) listed above")
        }
    }
}

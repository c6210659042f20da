import Foundation
import MBTStorage
import MBTTestSupport
import Testing

/// `mbt jobs` through the real binary: the table, a run by hand on the simulated market, the
/// refusal to run a finished date again without --force, and one-line errors for bad input.
@Suite("mbt jobs")
struct JobsCommandTests {
    @Test func listRunAndForce() async throws {
        try await TestDatabase.withFresh { _, url in
            let env = ["DATABASE_URL": url.connectionString]
            let market = ["--market", "simulated", "--clock-start", "2026-03-21T01:00:00Z"]
            let list = try await CLIProcess.run(["jobs", "list"], environment: env)
            #expect(list.status == 0)
            #expect(list.stdout.contains("paper.assignment_at_expiry  trading days, 15 min after the close"))
            #expect(list.stdout.contains("paper.eod_snapshot  trading days at 17:00 New York"))

            let run = try await CLIProcess.run(["jobs", "run", "paper.eod_snapshot", "--date", "2026-03-20"] + market, environment: env)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == "paper.eod_snapshot 2026-03-20: succeeded, 0 account(s), 0 row(s) written\n")
            let again = try await CLIProcess.run(["jobs", "run", "paper.eod_snapshot", "--date", "2026-03-20"] + market, environment: env)
            #expect(again.status == 1)
            #expect(
                again.stderrLines == [
                    "mbt: error: paper.eod_snapshot 2026-03-20 already succeeded; add --force to run it again (it changes nothing)"
                ])
            let forced = try await CLIProcess.run(
                ["jobs", "run", "paper.eod_snapshot", "--date", "2026-03-20", "--force"] + market, environment: env)
            #expect(forced.status == 0)
            let listed = try await CLIProcess.run(["jobs", "list"], environment: env)
            #expect(listed.stdout.contains("    2026-03-20  succeeded  0 account(s), 0 row(s)"))
        }
    }

    @Test(arguments: [
        (["jobs", "run", "paper.nothing", "--date", "2026-03-20"], "unknown job paper.nothing; the jobs are "),
        (["jobs", "run", "paper.eod_snapshot", "--date", "2026-02-30"], "--date must be a date YYYY-MM-DD, such as 2026-03-20"),
        (["jobs", "run", "paper.eod_snapshot", "--date", "tomorrow"], "--date must be a date YYYY-MM-DD, such as 2026-03-20"),
    ])
    func badInputIsOneLine(arguments: [String], message: String) async throws {
        let outcome = try await CLIProcess.run(arguments, environment: ["DATABASE_URL": "sqlite:///nonexistent/never.sqlite"])
        #expect(outcome.status == 64)
        #expect(outcome.stderrLines.count == 1)
        #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
    }

    @Test func aDateInTheFutureOfTheMarketClockIsRefused() async throws {
        try await TestDatabase.withFresh { _, url in
            let outcome = try await CLIProcess.run(
                [
                    "jobs", "run", "paper.eod_snapshot", "--date", "2026-03-25", "--market", "simulated", "--clock-start",
                    "2026-03-21T01:00:00Z",
                ],
                environment: ["DATABASE_URL": url.connectionString])
            #expect(outcome.status == 1)
            #expect(outcome.stderrLines == ["mbt: error: --date 2026-03-25 is in the future of the market clock (today is 2026-03-20)"])
        }
    }
}

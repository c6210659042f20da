import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTestSupport
import MBTTrading
import SQLKit
import Testing

/// A runner that stops mid-job (a killed or frozen process: its lease stops being renewed after
/// some batches committed) is taken over once the lease lapses; the new runner finishes the rest,
/// and nothing is written twice, even when the stalled one wakes up and carries on (docs/jobs.md).
@Suite("Daily jobs: a run stopped mid-job")
struct JobTakeoverTests {
    typealias F = BarLoopFixture
    typealias J = JobTests

    @Test func theNextRunnerFinishesAStalledRunAndNothingIsDoubled() async throws {
        try await F.run(bars: J.closingBars, quotes: J.quotes, startingBalance: 50_000) { f in
            var users = [f.user]
            for index in 1..<6 {
                users.append(try await UserStore(database: f.database).create(name: "holder\(index)", at: F.friday10).user)
            }
            for user in users { try await J.buy(J.call.description, 1, f, user: user) }
            f.clock.set(F.fridayClose.addingTimeInterval(15 * 60))
            let ledger = TaxLedger(database: f.database, logger: TestDatabase.logger)
            var context = JobContext(
                database: f.database, marketData: f.marketData, calendar: NYSECalendar(), taxLedger: ledger, logger: TestDatabase.logger)
            context.accountsPerBatch = 2
            let (stalled, stall) = AsyncStream.makeStream(of: Int.self)
            var stalling = context
            // After its first batch of two accounts commits, the first runner stops for good (until canceled).
            stalling.progress = JobProgress { done, _ in
                stall.yield(done)
                try? await Task.sleep(for: .seconds(3600))
            }
            let first = Task {
                try await JobRunner(context: stalling, owner: "frozen", leaseClock: f.clock).run(.assignmentAtExpiry, on: J.friday)
            }
            var progress = stalled.makeAsyncIterator()
            #expect(await progress.next() == 2)

            // While its lease runs, nobody else may take the run.
            guard
                case .skipped = try await JobRunner(context: context, owner: "next", leaseClock: f.clock).run(
                    .assignmentAtExpiry, on: J.friday)
            else {
                Issue.record("a run with a live lease was taken over")
                return
            }
            // Batches run two at a time: the frozen runner's second batch was under way and finishes
            // on its own; the third is never started.
            var left = 6
            for _ in 0..<200 where left > 2 {
                left = try await f.database.withConnection { db in try await LedgerStore.openOptionPositions(on: db) }.count
                if left > 2 { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(left == 2)
            f.clock.set(f.clock.now().addingTimeInterval(61))
            let takeover = try #require(
                J.ran(try await JobRunner(context: context, owner: "next", leaseClock: f.clock).run(.assignmentAtExpiry, on: J.friday)))
            #expect(takeover.owner == "next" && takeover.status == .succeeded && takeover.rowsWritten == left)

            // The stalled runner wakes up and carries on: it finds nothing left to settle, and cannot
            // overwrite the run it lost.
            first.cancel()
            _ = try? await first.value
            let run = try #require(
                try await JobRunStore(database: f.database).run(job: DailyJob.assignmentAtExpiry.rawValue, date: "2026-03-20"))
            #expect(run.owner == "next" && run.status == .succeeded)
            for user in users {
                let positions = try await PositionStore(database: f.database).openPositions(userId: user.id)
                #expect(positions.map(\.symbol) == ["AAPL"] && positions.first?.quantity == 100, "user \(user.id)")
            }
            #expect(try await J.count("paper_fills", f) == 6 + 12)  // six buys, then per account the call's and the shares' fills
            #expect(try await LedgerVerifier(database: f.database).verify().violations.isEmpty)
        }
    }

    /// A process that died mid-run leaves its job-date `running` with a lease nobody renews; the
    /// scheduler's next pass (another server's) finds it once the lease lapses and finishes it.
    @Test func theSchedulerTakesOverARunWhoseOwnerDied() async throws {
        try await F.run(bars: J.closingBars, quotes: J.quotes, startingBalance: 50_000) { f in
            try await J.buy(J.call.description, 1, f)
            let expiry = F.fridayClose.addingTimeInterval(15 * 60)
            f.clock.set(expiry)
            let context = JobContext(
                database: f.database, marketData: f.marketData, calendar: NYSECalendar(),
                taxLedger: TaxLedger(database: f.database, logger: TestDatabase.logger), logger: TestDatabase.logger)
            let scheduler = JobScheduler(runner: JobRunner(context: context, owner: "next", leaseClock: f.clock))
            let runs = JobRunStore(database: f.database)
            _ = try #require(
                try await runs.claim(
                    job: DailyJob.assignmentAtExpiry.rawValue, date: J.friday.description, owner: "dead", now: expiry,
                    leaseUntil: expiry.addingTimeInterval(10)))
            let isDue = { (now: Date) in
                try await scheduler.due(at: now).contains { $0.job == .assignmentAtExpiry && $0.date == J.friday }
            }
            #expect(try await !isDue(expiry), "a run with a live lease is not due")

            f.clock.set(expiry.addingTimeInterval(11))
            #expect(try await isDue(f.clock.now()))
            let expiryRun = try await scheduler.runDue(at: f.clock.now()).compactMap(J.ran).first { $0.job == DailyJob.assignmentAtExpiry.rawValue }
            #expect(expiryRun?.owner == "next" && expiryRun?.status == .succeeded)
            let positions = try await PositionStore(database: f.database).openPositions(userId: f.user.id)
            #expect(positions.map(\.symbol) == ["AAPL"], "the call was exercised once")
            #expect(try await !isDue(f.clock.now()))
        }
    }
}

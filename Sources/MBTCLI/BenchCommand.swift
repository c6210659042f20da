import ArgumentParser
import Foundation
import Logging
import MBTDomain
import MBTMarketData
import MBTStorage

/// `mbt bench …`: measured figures for the performance targets, printed, never asserted.
/// Run release builds: `swift run -c release mbt bench market-data`.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Print performance figures (run with -c release).",
        subcommands: [MarketDataBench.self, TaxBench.self, BarBench.self, OrderBench.self, JobBench.self]
    )

    struct MarketDataBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "market-data",
            abstract: "Cached quote lookups per second (access-logged to SQLite) and simulated bars per second.")

        @Option(help: "Seconds to run each measurement.") var seconds: Double = 3
        @Option(help: "Concurrent lookup tasks.") var concurrency = 4

        func validate() throws {
            guard seconds > 0, seconds <= 600 else { throw ValidationError("--seconds must be in (0, 600]") }
            guard (1...256).contains(concurrency) else { throw ValidationError("--concurrency must be 1...256") }
        }

        func run() async throws {
            // Friday 2026-03-20, 10:00 New York: inside a session.
            let instant = Date(timeIntervalSince1970: 1_774_015_200)
            let market = SimulatedMarket(seed: 1, clock: FixedClock(instant))
            try await benchQuotes(market: market, at: instant)
            try await benchBars(market: market, at: instant)
        }

        private func benchQuotes(market: SimulatedMarket, at instant: Date) async throws {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("mbt-bench-\(UUID().uuidString).sqlite").path
            defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
            let logger = CommandEnvironment.logger()
            try await withDatabase(.sqlite(path: path), logger: logger) { database in
                try await MigrationRunner(database: database).up()
                let users = UserStore(database: database)
                var created: [Int64] = []
                for index in 0..<20 { created.append(try await users.create(name: "bench\(index)", at: instant).user.id) }
                let userIds = created
                let accessLog = AccessLogBuffer(recorder: MarketDataAccessLogStore(database: database), logger: logger)
                let service = MarketDataService(provider: market, clock: FixedClock(instant), accessLog: accessLog, quoteTimeToLive: 3600)
                let symbols = SimulatedMarket.universe.map(\.symbol)
                let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
                let started = ContinuousClock.now
                let lookups = try await withThrowingTaskGroup(of: Int.self) { group in
                    for task in 0..<concurrency {
                        group.addTask {
                            var count = 0
                            while ContinuousClock.now < deadline {
                                let symbol = symbols[(count + task) % symbols.count]
                                _ = try await service.quotes([symbol], for: [userIds[(count + task) % userIds.count]])
                                count += 1
                            }
                            return count
                        }
                    }
                    return try await group.reduce(0, +)
                }
                await accessLog.flush()
                let elapsed = ContinuousClock.now - started
                let rows = try await MarketDataAccessLogStore(database: database).count()
                print("cached quote lookups: \(lookups) in \(format(elapsed)) = \(rate(lookups, elapsed)) lookups/s (\(concurrency) tasks)")
                print("access log rows written to SQLite: \(rows) (one per lookup)")
            }
        }

        private func benchBars(market: SimulatedMarket, at instant: Date) async throws {
            let symbols = SimulatedMarket.universe.map(\.symbol)
            let calendar = NYSECalendar()
            let sessions = calendar.sessions(from: MarketDate(year: 2026, month: 3, day: 2)!, through: MarketDate(containing: instant))
            var bars = 0
            let started = ContinuousClock.now
            let deadline = started + .milliseconds(Int(seconds * 1000))
            var index = 0
            while ContinuousClock.now < deadline {
                let session = sessions[index % sessions.count]
                let generated = try await market.minuteBars(symbols, from: session.open, to: session.close)
                bars += generated.values.reduce(0) { $0 + $1.count }
                index += 1
            }
            let elapsed = ContinuousClock.now - started
            print(
                "simulated bars: \(bars) (\(symbols.count) symbols × \(index) sessions) in \(format(elapsed)) = \(rate(bars, elapsed)) bars/s"
            )
        }

        private func rate(_ count: Int, _ elapsed: Duration) -> String {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return String(format: "%.0f", Double(count) / max(seconds, 1e-9))
        }

        private func format(_ elapsed: Duration) -> String {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return String(format: "%.2f s", seconds)
        }
    }
}

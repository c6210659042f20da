import Foundation
import MBTStorage
import MBTTestSupport
import SQLKit
import Testing

/// Two real `mbt serve` processes on one PostgreSQL, both with the bar loop and the job scheduler,
/// orders for the same accounts sent to both (docs/operations.md, "Several servers"): the symbols
/// are shared between them, nothing is filled twice, no account is overspent, each job-date runs
/// once, and when one is killed the other takes its symbols over and catches them up.
@Suite(
    "serve: two servers on one PostgreSQL", .serialized,
    .enabled(
        if: ProcessInfo.processInfo.environment["MBT_FAULT_TESTS"] == "1" && TestDatabase.dialect == .postgres,
        "the fault tests run on their own: scripts/test.sh")
)
struct TwoServerTests {
    static let symbols = ["AAPL", "MSFT", "SPY", "QQQ"]

    @Test func theyShareTheSymbolsFillOnceAndTheSurvivorTakesOver() async throws {
        try await TestDatabase.withFresh { database, url in
            let users = UserStore(database: database)
            let tokens = [try await users.create(name: "alice", at: Date()).token, try await users.create(name: "bob", at: Date()).token]
            let ports = [TestPort.random(in: 20_000..<26_000), TestPort.random(in: 26_000..<32_768)]
            let servers = try ports.map { try CrashRecoveryTests.serve(port: $0, url: url, jobs: true) }
            defer { for server in servers where server.isRunning { server.terminate() } }
            for port in ports { try await CrashRecoveryTests.waitUntilReady(port: port) }

            // Each account's orders go to both servers at once.
            let done = Flag()
            async let loads = withTaskGroup(of: [CrashRecoveryTests.Acknowledged].self) { group in
                for (index, port) in ports.enumerated() {
                    for (user, token) in tokens.enumerated() {
                        group.addTask {
                            await CrashRecoveryTests.load(
                                port: port, token: token, clients: 2, tag: "s\(index)u\(user)", symbols: Self.symbols, stop: { done.isSet }
                            ).acknowledged
                        }
                    }
                }
                return await group.reduce(into: []) { $0 += $1 }
            }

            // Both servers walk symbols: the later one gets its share from the earlier one.
            let owners = try await Self.waitFor(seconds: 40) {
                let owners = try await Self.owners(database)
                return Set(owners.values).count == 2 && owners.count == Self.symbols.count ? owners : nil
            }
            let seen = try await Self.owners(database)
            #expect(owners != nil, "the two servers never shared the symbols: \(seen)")

            // Kill one: the other takes every symbol over once the leases lapse, and catches up.
            let victim = servers[0]
            kill(victim.processIdentifier, SIGKILL)
            victim.waitUntilExit()
            let killedAt = ContinuousClock.now
            let survivor = try await Self.waitFor(seconds: 30) {
                let owners = try await Self.owners(database)
                return Set(owners.values).count == 1 && owners.count == Self.symbols.count ? owners.values.first : nil
            }
            #expect(survivor != nil, "the survivor did not take every symbol over within 30 s")
            // Leases last 10 s and lapsed ones are looked for every second (docs/operations.md);
            // the bound leaves a loaded machine some slack.
            let tookOver = ContinuousClock.now - killedAt
            #expect(tookOver < .seconds(20), "takeover took \(tookOver)")
            let status = try await CrashRecoveryTests.request(
                "GET", "http://127.0.0.1:\(ports[1])/api/trading/status", token: tokens[0], body: nil)
            let json = try JSONSerialization.jsonObject(with: status.1) as? [String: Any]
            #expect((json?["bars_caught_up"] as? Int ?? 0) > 0, "status shows the catch-up: \(String(describing: json))")

            done.set()
            let told = await loads
            #expect(told.count > 20, "orders went through: \(told.count)")
            try await CrashRecoveryTests.expectStored(told, in: database)
            try await Self.expectNoDoubleWork(database)
            let verify = try await CLIProcess.run(["verify"], environment: ["DATABASE_URL": url.connectionString])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        }
    }

    /// Every order filled at most once, no account below zero, each job-date run once.
    static func expectNoDoubleWork(_ database: any DatabaseClient) async throws {
        try await database.withConnection { db in
            let twice = try await db.raw("SELECT paper_order_id FROM paper_fills GROUP BY paper_order_id HAVING COUNT(*) > 1").all()
            #expect(twice.isEmpty, "orders filled twice: \(twice.count)")
            let overspent = try await db.raw("SELECT user_id FROM paper_accounts WHERE cash_balance < 0").all()
            #expect(overspent.isEmpty, "accounts below zero: \(overspent.count)")
            let repeated = try await db.raw(
                "SELECT job_name, run_date FROM job_runs WHERE status = 'succeeded' GROUP BY job_name, run_date HAVING COUNT(*) > 1"
            ).all()
            #expect(repeated.isEmpty, "job-dates run twice: \(repeated.count)")
        }
    }

    /// The current lease holder of each test symbol that has one.
    static func owners(_ database: any DatabaseClient) async throws -> [String: String] {
        try await database.withConnection { db in
            try await db.raw("SELECT symbol, lease_owner FROM bar_watermarks WHERE lease_owner IS NOT NULL AND lease_until > now()")
                .all().reduce(into: [:]) { owners, row in
                    let symbol = try row.decode(column: "symbol", as: String.self)
                    if Self.symbols.contains(symbol) { owners[symbol] = try row.decode(column: "lease_owner", as: String.self) }
                }
        }
    }

    static func waitFor<T: Sendable>(seconds: Int, _ check: () async throws -> T?) async throws -> T? {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .seconds(seconds) {
            if let value = try await check() { return value }
            try await Task.sleep(for: .milliseconds(500))
        }
        return nil
    }
}

import AsyncHTTPClient
import Foundation
import MBTStorage
import MBTTestSupport
import Testing

/// PostgreSQL restarted and stopped under a real `mbt serve`'s order load (docs/operations.md):
/// the process stays up, every request is answered within its bound (never a hang, never a 500),
/// `/ready` says 503 while the database is gone, everything recovers by itself when it is back, no
/// acknowledged order is lost and `mbt verify` is clean.
///
/// `scripts/test.sh` runs it with the fault tests, giving `MBT_FAULT_PG_CONTROL`: a command that
/// takes `restart-fast`, `restart-immediate`, `stop` or `start` and does that to the test cluster.
@Suite(
    "serve: PostgreSQL restarted and stopped under load", .serialized,
    .enabled(
        if: ProcessInfo.processInfo.environment["MBT_FAULT_TESTS"] == "1" && TestDatabase.dialect == .postgres
            && ProcessInfo.processInfo.environment["MBT_FAULT_PG_CONTROL"] != nil,
        "needs the fault tests' PostgreSQL control: scripts/test.sh")
)
struct DatabaseOutageTests {
    /// The longest any request may take, outage or not: a response begins within 15 s or the
    /// server answers 503 itself (docs/operations.md, "Limits"), plus a loaded machine's slack.
    static let answerBound: Duration = .seconds(17)
    static let outage: Duration = .seconds(60)
    /// The readiness probes' own client: through the load's shared one, a probe queued behind the
    /// load's requests for a connection.
    static let probes = HTTPClient(eventLoopGroupProvider: .singleton)

    /// Runs the control command to its end. Not through Foundation's `Process`: it waits until
    /// every process that inherited its exit-watch socket is gone, and the PostgreSQL server the
    /// command starts keeps it forever.
    static func control(_ action: String) throws {
        let command = try #require(ProcessInfo.processInfo.environment["MBT_FAULT_PG_CONTROL"])
        let status = system("'\(command)' \(action)")
        #expect(status == 0, "\(command) \(action) failed: \(status)")
    }

    @Test func restartsAndAnOutageLoseNothingAndRecoverByThemselves() async throws {
        try await TestDatabase.withFresh { database, url in
            // Enough cash that buying power never refuses the load's orders.
            let token = try await UserStore(database: database).create(name: "loader", startingBalance: 1_000_000_000, at: Date()).token
            let port = TestPort.random()
            let serve = try CrashRecoveryTests.serve(port: port, url: url)
            defer { if serve.isRunning { serve.terminate() } }
            try await CrashRecoveryTests.waitUntilReady(port: port)

            let done = Flag()
            async let load = CrashRecoveryTests.load(port: port, token: token, clients: 8, tag: "outage", stop: { done.isSet })
            try await Task.sleep(for: .seconds(3))
            try Self.control("restart-fast")
            try await Task.sleep(for: .seconds(5))
            try Self.control("restart-immediate")
            try await Task.sleep(for: .seconds(2))
            try Self.control("restart-immediate")
            try await Task.sleep(for: .seconds(5))

            try Self.control("stop")
            let stopped = ContinuousClock.now
            var readiness: [(Int, Duration)] = []
            while ContinuousClock.now - stopped < Self.outage {
                let asked = ContinuousClock.now
                let status = (try? await CrashRecoveryTests.request("GET", "http://127.0.0.1:\(port)/ready", token: nil, body: nil, client: Self.probes).0) ?? 0
                readiness.append((status, ContinuousClock.now - asked))
                try await Task.sleep(for: .seconds(5))
            }
            #expect(serve.isRunning, "serve died while the database was down")
            #expect(readiness.allSatisfy { $0.0 == 503 && $0.1 < .seconds(5) }, "ready while down: \(readiness)")

            try Self.control("start")
            let started = ContinuousClock.now
            var recovered: Duration?
            while recovered == nil && ContinuousClock.now - started < .seconds(30) {
                try await Task.sleep(for: .milliseconds(500))
                let ready = try? await CrashRecoveryTests.request("GET", "http://127.0.0.1:\(port)/ready", token: nil, body: nil, client: Self.probes).0
                if ready == 200 { recovered = ContinuousClock.now - started }
            }
            let recoveredIn = try #require(recovered, "serve did not become ready within 30 s of the database's return")
            try await Task.sleep(for: .seconds(3))
            done.set()
            let (told, answers) = await load

            // Orders went through after the database came back, by themselves.
            let afterReturn = answers.filter { $0.sent > started + recoveredIn }
            #expect(
                afterReturn.contains { (200..<300).contains($0.status) },
                "no order accepted after recovery (\(recoveredIn)): \(Self.summary(afterReturn))")
            let slowest = answers.map(\.took).max() ?? .zero
            #expect(slowest < Self.answerBound, "a request took \(slowest)")
            let failures = answers.filter { !(200..<300).contains($0.status) && $0.status != 422 }
            #expect(failures.allSatisfy { $0.status == 503 && $0.code != nil }, "unclean failures: \(Self.summary(failures))")
            #expect(failures.contains { $0.status == 503 }, "the outage was never noticed")

            // And it still shuts down promptly (a process wedged by an outage once ignored SIGTERM).
            let took = try await CrashRecoveryTests.terminate(serve, within: .seconds(15))
            #expect(
                took != nil,
                "serve still running 15 s after SIGTERM; its threads:\n\(CrashRecoveryTests.stacks(of: serve))\nits log:\n\(CrashRecoveryTests.logTail(port: port))")

            try await Self.eventually { try await CrashRecoveryTests.expectStored(told, in: database) }
            let verify = try await CLIProcess.run(["verify"], environment: ["DATABASE_URL": url.connectionString])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        }
    }

    static func summary(_ answers: [CrashRecoveryTests.Answer]) -> [String: Int] {
        answers.reduce(into: [:]) { counts, answer in counts["\(answer.status) \(answer.code ?? "-")", default: 0] += 1 }
    }

    /// The test's own pool lost its connections too; its first queries may meet a dead one.
    static func eventually(_ check: () async throws -> Void) async throws {
        var attempt = 1
        while true {
            do {
                return try await check()
            } catch  where attempt < 5 && DatabaseFailure.isUnavailable(error) {
                attempt += 1
                try await Task.sleep(for: .seconds(1))
            }
        }
    }
}

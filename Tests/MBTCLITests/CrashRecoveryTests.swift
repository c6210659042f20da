import AsyncHTTPClient
import Foundation
import MBTDomain
import MBTStorage
import MBTTestSupport
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import SQLKit
import Synchronization
import Testing

/// A real `mbt serve` under order load, killed with SIGKILL, then started again: every order a
/// client was answered 2xx for is stored in the state it was told (or a later one the bar loop
/// reached), nothing is filled twice, `mbt verify` is clean, and the bar loop walks the minutes
/// it missed. And SIGTERM under the same load ends the process within its bound (docs/operations.md).
///
/// They load the machine, so `scripts/test.sh` runs them apart from the other tests
/// (`MBT_FAULT_TESTS=1`), on SQLite and on PostgreSQL.
@Suite(
    "serve: crash and shutdown under load", .serialized,
    .enabled(if: ProcessInfo.processInfo.environment["MBT_FAULT_TESTS"] == "1", "the fault tests run on their own: scripts/test.sh")
)
struct CrashRecoveryTests {
    /// What the clients were told.
    struct Acknowledged: Sendable {
        let id: Int64
        let clientOrderId: String
        let status: String
    }

    static let clockStart = "2026-03-18T15:00:00Z"

    /// A market minute per second, so the bar loop ticks every second. Its output goes to
    /// ``logPath(port:)``, for a failure's message.
    static func serve(port: Int, url: DatabaseURL, clockStart: String = clockStart, jobs: Bool = false) throws -> Process {
        try CLIProcess.start(
            ["serve", "--port", "\(port)", "--market", "simulated", "--clock-start", clockStart, "--clock-speed", "60", "--no-demo-user"]
                + (jobs ? [] : ["--no-jobs"]),
            environment: ["DATABASE_URL": url.connectionString, "LOG_LEVEL": "warning"], output: .file(logPath(port: port)))
    }

    static func logPath(port: Int) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("mbt-fault-serve-\(port).log").path
    }

    /// The last lines `serve` on `port` logged.
    static func logTail(port: Int, lines: Int = 30) -> String {
        let log = (try? String(contentsOfFile: logPath(port: port), encoding: .utf8)) ?? ""
        return log.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    /// Sends SIGTERM and waits up to `bound` for the process to end; how long it took, or nil.
    static func terminate(_ process: Process, within bound: Duration) async throws -> Duration? {
        let signaled = ContinuousClock.now
        kill(process.processIdentifier, SIGTERM)
        while process.isRunning && ContinuousClock.now - signaled < bound { try await Task.sleep(for: .milliseconds(50)) }
        return process.isRunning ? nil : ContinuousClock.now - signaled
    }

    /// Every thread's stack of a process that will not stop, through gdb, for the failure's message.
    static func stacks(of process: Process) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mbt-fault-stacks-\(process.processIdentifier).txt").path
        _ = system("gdb -p \(process.processIdentifier) -batch -ex 'thread apply all bt 25' > '\(path)' 2>&1")
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? "gdb gave nothing"
    }

    static func waitUntilReady(port: Int) async throws {
        for _ in 0..<200 {
            if (try? await request("GET", "http://127.0.0.1:\(port)/ready", token: nil, body: nil).0) == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CLITestError("serve on port \(port) never became ready")
    }

    /// One HTTP request with a 30 s limit (beyond the server's own 15 s, so a slow answer shows as
    /// slow, not as no answer). Through AsyncHTTPClient rather than URLSession, whose
    /// Linux implementation blocks a thread of the test's small pool per request and can deadlock
    /// when a request times out.
    static func request(
        _ method: String, _ url: String, token: String?, body: String?, client: HTTPClient = .shared
    ) async throws -> (Int, Data) {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.body = .bytes(ByteBuffer(string: body))
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        let data = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), Data(buffer: data))
    }

    /// Every answer a load client got: its status (0 when the connection failed), how long it
    /// took, and the error code of an error answer.
    struct Answer: Sendable {
        let status: Int
        let sent: ContinuousClock.Instant
        let took: Duration
        let code: String?
    }

    /// `clients` loops posting orders (market buys, which fill, and low limits, which rest) until
    /// `stop` says so; returns every order answered 2xx, and every answer.
    static func load(
        port: Int, token: String, clients: Int, tag: String, symbols: [String] = ["AAPL"], stop: @escaping @Sendable () -> Bool
    ) async -> (acknowledged: [Acknowledged], answers: [Answer]) {
        await withTaskGroup(of: ([Acknowledged], [Answer]).self) { group in
            for client in 0..<clients {
                group.addTask {
                    var acknowledged: [Acknowledged] = []
                    var answers: [Answer] = []
                    var sequence = 0
                    while !stop() {
                        sequence += 1
                        let clientOrderId = "\(tag)-\(client)-\(sequence)"
                        let limit =
                            sequence % 2 == 0
                            ? #","order_type":"limit","limit_price":"1.00","time_in_force":"gtc""# : #","order_type":"market""#
                        let symbol = symbols[(sequence / 2) % symbols.count]
                        let body = #"{"symbol":"\#(symbol)","side":"buy","qty":"1","client_order_id":"\#(clientOrderId)"\#(limit)}"#
                        let started = ContinuousClock.now
                        let answer = try? await request("POST", "http://127.0.0.1:\(port)/api/trading/orders", token: token, body: body)
                        let json = answer.flatMap { try? JSONSerialization.jsonObject(with: $0.1) as? [String: Any] }
                        let code = (json?["error"] as? [String: Any])?["code"] as? String
                        answers.append(Answer(status: answer?.0 ?? 0, sent: started, took: ContinuousClock.now - started, code: code))
                        guard let status = answer?.0, (200..<300).contains(status), let json,
                            let id = json["id"] as? Int, let orderStatus = json["status"] as? String
                        else { continue }
                        acknowledged.append(Acknowledged(id: Int64(id), clientOrderId: clientOrderId, status: orderStatus))
                    }
                    return (acknowledged, answers)
                }
            }
            return await group.reduce(into: ([], [])) { total, one in
                total.0 += one.0
                total.1 += one.1
            }
        }
    }

    /// Every acknowledged order is stored in the state the client was told, or filled since.
    static func expectStored(_ told: [Acknowledged], in database: any DatabaseClient) async throws {
        let stored = try await database.withConnection { db in
            try await db.raw("SELECT client_order_id, status FROM paper_orders").all().map { row in
                (try row.decode(column: "client_order_id", as: String?.self), try row.decode(column: "status", as: String.self))
            }
        }
        let byClientId = Dictionary(stored.compactMap { id, status in id.map { ($0, status) } }, uniquingKeysWith: { first, _ in first })
        for order in told {
            let now = try #require(byClientId[order.clientOrderId], "acknowledged order \(order.clientOrderId) is gone")
            // Told filled: still filled. Told accepted: accepted, or filled by the bar loop since.
            #expect(
                now == order.status || (order.status == "accepted" && now == "filled"),
                "\(order.clientOrderId): told \(order.status), now \(now)")
        }
    }

    @Test func killedUnderLoadItLosesNoAcknowledgedOrderAndCatchesUp() async throws {
        try await TestDatabase.withFresh { database, url in
            let token = try await UserStore(database: database).create(name: "loader", at: Date()).token
            let port = TestPort.random()
            let first = try Self.serve(port: port, url: url)
            defer { if first.isRunning { first.terminate() } }
            try await Self.waitUntilReady(port: port)

            let killed = Flag()
            async let load = Self.load(port: port, token: token, clients: 8, tag: "crash", stop: { killed.isSet })
            // Kill it mid-load once orders are flowing and the bar loop holds AAPL (a busy machine
            // takes longer to get there; a minute at most).
            let loading = ContinuousClock.now
            while ContinuousClock.now - loading < .seconds(60) {
                try await Task.sleep(for: .milliseconds(250))
                let resting = try await database.withConnection { db in
                    try await db.raw("SELECT COUNT(*) AS n FROM paper_orders WHERE status = 'accepted'").first()?.decode(
                        column: "n", as: Int.self)
                }
                if (resting ?? 0) >= 10, try await BarWatermarkStore(database: database).watermarks(["AAPL"]).first != nil { break }
            }
            kill(first.processIdentifier, SIGKILL)
            first.waitUntilExit()
            killed.set()
            let told = await load.acknowledged
            // Who held AAPL when the process died, and how far it had walked (read before the
            // restart: the new process may take AAPL over while the checks below run).
            let (deadOwner, stoppedAt) = try await Self.watermark(database)
            #expect(told.count >= 10, "the load got orders through before the kill: \(told.count)")

            // Back an hour of market time later, as after an outage.
            let second = try Self.serve(port: port, url: url, clockStart: "2026-03-18T16:00:00Z")
            defer { if second.isRunning { second.terminate() } }
            try await Self.waitUntilReady(port: port)

            try await Self.expectStored(told, in: database)
            let verify = try await CLIProcess.run(["verify"], environment: ["DATABASE_URL": url.connectionString])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")

            // The second process takes the dead one's symbols over once their leases lapse (10 s)
            // and walks the minutes missed meanwhile.
            let restarted = ContinuousClock.now
            var takenOver = false
            while !takenOver && ContinuousClock.now - restarted < .seconds(30) {
                try await Task.sleep(for: .milliseconds(500))
                let (owner, lastBar) = try await Self.watermark(database)
                takenOver = owner != deadOwner && lastBar > stoppedAt
            }
            #expect(takenOver, "the restarted bar loop did not take AAPL over within 30 s")
            let status = try await Self.request("GET", "http://127.0.0.1:\(port)/api/trading/status", token: token, body: nil)
            let json = try JSONSerialization.jsonObject(with: status.1) as? [String: Any]
            #expect((json?["bars_caught_up"] as? Int ?? 0) > 0, "status shows the catch-up: \(String(describing: json))")
        }
    }

    /// AAPL's watermark: who holds it and the last minute walked.
    static func watermark(_ database: any DatabaseClient) async throws -> (String?, Date) {
        let mark = try #require(try await BarWatermarkStore(database: database).watermarks(["AAPL"]).first)
        let owner = try await database.withConnection { db in
            try await db.raw("SELECT lease_owner FROM bar_watermarks WHERE symbol = 'AAPL'").first()?.decode(
                column: "lease_owner", as: String?.self)
        }
        return (owner ?? nil, mark.lastBarAt)
    }

    @Test func sigtermUnderLoadEndsTheProcessWithinItsBound() async throws {
        try await TestDatabase.withFresh { database, url in
            let token = try await UserStore(database: database).create(name: "loader", at: Date()).token
            let port = TestPort.random()
            let process = try Self.serve(port: port, url: url)
            defer { if process.isRunning { process.terminate() } }
            try await Self.waitUntilReady(port: port)

            let stopped = Flag()
            async let load = Self.load(port: port, token: token, clients: 8, tag: "term", stop: { stopped.isSet })
            try await Task.sleep(for: .seconds(1))
            let took = try await Self.terminate(process, within: .seconds(15))
            let stacks = took == nil ? Self.stacks(of: process) : ""
            stopped.set()
            _ = await load
            #expect(took != nil, "serve still running 15 s after SIGTERM; its threads:\n\(stacks)\nits log:\n\(Self.logTail(port: port))")
            if let took { #expect(took < .seconds(10), "SIGTERM took \(took)") }
            let verify = try await CLIProcess.run(["verify"], environment: ["DATABASE_URL": url.connectionString])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        }
    }

    /// A request that never completes (its body stops arriving) holds graceful shutdown, which waits
    /// for requests in flight, until the read limit (20 s) cuts the connection; the shutdown
    /// deadline (10 s) ends the process first, with a log line saying so.
    @Test func sigtermEndsTheProcessAtTheShutdownDeadlineWhateverIsInFlight() async throws {
        try await TestDatabase.withFresh { database, url in
            let token = try await UserStore(database: database).create(name: "stuck", at: Date()).token
            let port = TestPort.random()
            let process = try Self.serve(port: port, url: url)
            defer { if process.isRunning { process.terminate() } }
            try await Self.waitUntilReady(port: port)

            let socket = try RawConnection(port: port)
            socket.send(
                "POST /api/trading/orders HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"symbol\":")
            try await Task.sleep(for: .milliseconds(500))
            let took = try await Self.terminate(process, within: .seconds(18))
            let ended = try #require(took, "serve still running 18 s after SIGTERM")
            #expect(ended >= .seconds(9) && ended < .seconds(15), "ended \(ended) after SIGTERM, not at the 10 s deadline")
            #expect(process.terminationStatus == EXIT_FAILURE)
            #expect(Self.logTail(port: port).contains("shutdown did not finish within 10.0 seconds"), "\(Self.logTail(port: port))")
        }
    }
}

/// A one-way switch shared between tasks.
final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}

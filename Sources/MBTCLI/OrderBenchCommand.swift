import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import MBTDomain
import MBTMarketData
import MBTServer
import MBTStorage
import MBTTrading
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `mbt bench orders`: market orders over HTTP against the real application (router, middleware,
/// order service, database), the issue's throughput target: 32 concurrent clients, ≥ 2,000
/// orders/s with server-side p99 < 10 ms, on PostgreSQL and on SQLite.
///
/// Each client is its own user with a large account and alternates a market buy and a market sell
/// of one share of the same symbol, rotating over a few symbols, so cash never runs out and
/// positions stay small. The simulated market's clock is fixed inside a session, so every quote is
/// fresh and every order fills at once. Requests during the warm-up are not counted; any answer
/// other than 2xx is counted as an error, and a run with errors is no result.
///
/// With `--resting N` the clients send `N` GTC limit buys in all, priced far below the market so
/// every one rests, and the run ends when all are answered: the rate at which a book of resting
/// orders is built over HTTP.
///
/// With `--target URL` the clients drive a `serve` started separately (on `--database-url`, where
/// the users are made) instead of one inside this process, so the server has its own process and
/// the figures are the clients' (`scripts/bench-orders.sh` runs it; docs/performance.md).
struct OrderBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orders",
        abstract: "Market orders per second over HTTP, with client- and server-side latency percentiles.")

    @Option(name: .long, help: "Database URL (default: a temporary SQLite file, removed afterwards); postgres://… works too.")
    var databaseURL: String?
    @Option(help: "Seconds to measure, after the warm-up.") var seconds: Double = 10
    @Option(help: "Seconds of warm-up, not counted.") var warmup: Double = 2
    @Option(help: "Concurrent clients, one user each.") var clients = 32
    @Option(help: "Port to serve on (0: any free port).") var port = 0
    @Flag(help: "Send 4-leg iron condors (opened, then closed) instead of single stock orders.") var multiLeg = false
    @Option(help: "Send this many resting GTC limit buys in all (no warm-up; the run ends when all are answered) instead of market orders.")
    var resting: Int?
    @Option(help: "Base URL of a serve started separately (its database is --database-url); default: serve inside this process.")
    var target: String?

    /// Friday 2026-03-20, 10:00 New York: inside a session.
    static let instant = Date(timeIntervalSince1970: 1_774_015_200)
    static let symbols = ["AAPL", "MSFT", "NVDA", "AMZN"]

    func validate() throws {
        guard seconds > 0, seconds <= 3600 else { throw ValidationError("--seconds must be in (0, 3600]") }
        guard warmup >= 0, warmup <= 600 else { throw ValidationError("--warmup must be in [0, 600]") }
        guard (1...1024).contains(clients) else { throw ValidationError("--clients must be 1...1024") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        if let resting {
            guard (1...10_000_000).contains(resting) else { throw ValidationError("--resting must be 1...10000000") }
            guard !multiLeg else { throw ValidationError("--resting and --multi-leg are two different workloads; pick one") }
        }
        if let target {
            guard target.hasPrefix("http://"), URL(string: target)?.host != nil else {
                throw ValidationError("--target must be an http:// URL, such as http://127.0.0.1:8080")
            }
            guard databaseURL != nil else { throw ValidationError("--target needs --database-url: the database that serve uses") }
        }
    }

    func run() async throws {
        let logger = Self.quietLogger()
        let temporary = databaseURL == nil ? Self.temporarySQLitePath() : nil
        defer {
            if let temporary { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: temporary + suffix) } }
        }
        let url: DatabaseURL
        do {
            url = try temporary.map { .sqlite(path: $0) } ?? DatabaseURL(parsing: databaseURL ?? "")
        } catch {
            throw CommandFailure(error)
        }
        try await CommandEnvironment.withDatabase(url, logger: logger) { database in
            try await MigrationRunner(database: database).up()
            let tokens = try await createUsers(database)
            let timings = RequestTimings()
            let tickets = multiLeg ? try await Self.condorTickets() : resting != nil ? Self.restingTickets() : Self.stockTickets()
            let budget = resting.map(OrderBudget.init)
            let drive = { (baseURL: String) in
                try await OrderLoad(baseURL: baseURL, tokens: tokens, ticket: tickets, timings: timings, budget: budget)
                    .run(
                        warmup: budget == nil ? .milliseconds(Int(warmup * 1000)) : .zero,
                        measure: budget == nil ? .milliseconds(Int(seconds * 1000)) : .seconds(3600))
            }
            let load =
                if let target {
                    try await drive(target.hasSuffix("/") ? String(target.dropLast()) : target)
                } else {
                    try await serve(database, timings: timings, logger: logger, drive)
                }
            if multiLeg { print("each order is a 4-leg iron condor on AAPL (a parent and 4 legs), opened then closed") }
            if let resting { print("each order is a GTC limit buy of 1 share at $1.00, which rests: \(resting) in all") }
            let report = try await LedgerVerifier(database: database).verify()
            print(load.summary(database: url.dialect.rawValue, clients: clients, outside: target != nil))
            print("ledger check: \(report.accountsChecked) accounts, \(report.fillsChecked) fills, \(report.violations.count) violations")
            if load.errorCount > 0 || !report.violations.isEmpty {
                throw CommandFailure("the run had errors; its figures are not a result")
            }
        }
    }

    /// Warnings and worse only, whatever LOG_LEVEL says: request logging at info would measure the
    /// logger, not the server.
    private static func quietLogger() -> Logger {
        var logger = CommandEnvironment.logger(label: "mbt.bench")
        logger.logLevel = max(logger.logLevel, .warning)
        return logger
    }

    /// Client `index`'s `sequence`-th ticket: a market buy, then a sell, of one share, rotating
    /// over the symbols.
    private static func stockTickets() -> @Sendable (Int, Int) -> String {
        { index, sequence in
            let side = sequence.isMultiple(of: 2) ? "buy" : "sell"
            let symbol = symbols[(index + sequence / 2) % symbols.count]
            return #"{"symbol":"\#(symbol)","side":"\#(side)","qty":"1","order_type":"market"}"#
        }
    }

    /// An AAPL iron condor from the simulated chain (deltas 0.30 / 0.20, wings 10 wide), opened and
    /// then closed, so positions never grow.
    private static func condorTickets() async throws -> @Sendable (Int, Int) -> String {
        let expiry = MarketDate(year: 2026, month: 4, day: 17)!
        let chain = try await SimulatedMarket(seed: 1, clock: FixedClock(instant)).optionChain(underlying: "AAPL", expiry: expiry)
        let request = IronCondorRequest(
            underlying: "AAPL", expiry: expiry, shortStrikes: .deltas(call: "0.30", put: "0.20"), wingWidth: 10, qty: 1)
        guard case .success(let preview) = IronCondorBuilder.build(request, chain: chain) else {
            throw CommandFailure("the simulated chain gives no iron condor for the benchmark")
        }
        func ticket(closing: Bool) -> String {
            let legs = preview.legs.map { leg in
                let intent: PositionIntent =
                    switch (leg.positionIntent, closing) {
                    case (.buyToOpen, true): .sellToClose
                    case (.sellToOpen, true): .buyToClose
                    default: leg.positionIntent
                    }
                return
                    #"{"symbol":"\#(leg.symbol)","side":"\#(intent.side.rawValue)","ratio_qty":1,"position_intent":"\#(intent.rawValue)"}"#
            }
            return #"{"qty":"1","order_type":"market","legs":[\#(legs.joined(separator: ","))]}"#
        }
        let (open, close) = (ticket(closing: false), ticket(closing: true))
        return { _, sequence in sequence.isMultiple(of: 2) ? open : close }
    }

    /// GTC limit buys of one share at $1.00, far below every simulated price, rotating over the symbols.
    private static func restingTickets() -> @Sendable (Int, Int) -> String {
        { index, sequence in
            let symbol = symbols[(index + sequence) % symbols.count]
            return #"{"symbol":"\#(symbol)","side":"buy","qty":"1","order_type":"limit","limit_price":"1.00","time_in_force":"gtc"}"#
        }
    }

    private static func temporarySQLitePath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("mbt-bench-orders-\(UUID().uuidString).sqlite").path
    }

    /// One user per client, each with a billion dollars; names are unique per run, so a shared
    /// PostgreSQL database can be reused.
    private func createUsers(_ database: any DatabaseClient) async throws -> [String] {
        let users = UserStore(database: database)
        let run = UUID().uuidString.prefix(8).lowercased()
        var tokens: [String] = []
        for index in 0..<clients {
            tokens.append(try await users.create(name: "bench-\(run)-\(index)", startingBalance: 1_000_000_000, at: Self.instant).token)
        }
        return tokens
    }

    /// The application's parts: the simulated market at a fixed instant inside a session (so quotes
    /// are always fresh) and the trading gate open whatever the deployment's defaults say.
    private static func dependencies(_ database: any DatabaseClient, accessLog: AccessLogBuffer, logger: Logger) -> AppDependencies {
        let clock = FixedClock(instant)
        let marketData = MarketDataService(provider: SimulatedMarket(seed: 1, clock: clock), clock: clock, accessLog: accessLog)
        let gate = TradingGate(
            flags: FeatureFlagCatalog(flags: [
                FeatureFlagCatalog.paperTrading: .init(
                    description: "paper trading", risk: .high, defaults: [.development: true, .staging: true, .production: true])
            ]),
            deployment: .development, environment: .live)
        return AppDependencies(database: database, gate: gate, marketData: marketData, logger: logger)
    }

    /// Runs the HTTP application on 127.0.0.1 while `body` drives it, then stops it.
    private func serve<T: Sendable>(
        _ database: any DatabaseClient, timings: RequestTimings, logger: Logger, _ body: (String) async throws -> T
    ) async throws -> T {
        let accessLog = AccessLogBuffer(recorder: MarketDataAccessLogStore(database: database), logger: logger)
        let dependencies = Self.dependencies(database, accessLog: accessLog, logger: logger)
        let (ports, listening) = AsyncStream.makeStream(of: Int.self)
        let app = buildApplication(
            dependencies, host: "127.0.0.1", port: port, timings: timings, onListening: { listening.yield($0) })
        // Our own group rather than `runService()`, so the end of the run is a graceful shutdown
        // (HTTP first, then the access log's last flush) instead of a cancellation.
        let group = ServiceGroup(
            configuration: .init(services: [AccessLogFlushService(buffer: accessLog), app], gracefulShutdownSignals: [], logger: logger))
        let server = Task {
            defer { listening.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next() else {
            try await server.value
            throw CommandFailure("the server stopped before it was listening")
        }
        let result: Swift.Result<T, any Error>
        do {
            result = .success(try await body("http://127.0.0.1:\(bound)"))
        } catch {
            result = .failure(error)
        }
        await group.triggerGracefulShutdown()
        try await server.value
        return try result.get()
    }
}

/// The clients' side of the order benchmark: the requests, their latencies and their failures.
private struct OrderLoad {
    let baseURL: String
    let tokens: [String]
    /// The body of client `index`'s `sequence`-th order.
    let ticket: @Sendable (Int, Int) -> String
    let timings: RequestTimings
    /// How many orders the clients send in all; `nil`: as many as fit the measured window.
    let budget: OrderBudget?

    /// What one client saw in the measured window.
    struct ClientResult: Sendable {
        var latencies: [Duration] = []
        var errors: [String: Int] = [:]
        var firstError: String?
    }

    struct Result: Sendable {
        let measured: Duration
        /// CPU time this process used while measuring (server and clients both).
        let cpu: Duration
        let client: [Duration]
        let server: [Duration]
        let errors: [String: Int]
        let firstError: String?

        var errorCount: Int { errors.values.reduce(0, +) }

        /// `outside`: the server ran in a process of its own, so this one timed only the clients.
        func summary(database: String, clients: Int, outside: Bool) -> String {
            let seconds = Double(measured.components.seconds) + Double(measured.components.attoseconds) / 1e18
            let rate = Double(client.count) / seconds
            let serverLatency =
                outside
                ? "  server latency: not seen from outside (the client latency includes it)"
                : "  server latency: p50 \(Self.percentile(server, 0.50)), p99 \(Self.percentile(server, 0.99)), "
                    + "max \(Self.percentile(server, 1)) (\(server.count) requests)"
            let setting = outside ? "a separate serve" : "serve in this process"
            var lines = [
                "orders over HTTP (\(database), \(setting), \(clients) clients, \(String(format: "%.1f", seconds)) s measured)",
                "  orders/s: \(String(format: "%.0f", rate)) (\(client.count) orders)",
                "  client latency: p50 \(Self.percentile(client, 0.50)), p99 \(Self.percentile(client, 0.99)), "
                    + "max \(Self.percentile(client, 1))",
                serverLatency,
                "  process CPU: \(Self.milliseconds(cpu / max(client.count, 1))) per order (\(outside ? "clients only" : "server and clients"))",
                "  peak resident memory of this process: \(PeakMemory.megabytes()) MB",
                "  errors: \(errorCount)" + (errors.isEmpty ? "" : " \(errors.sorted { $0.key < $1.key })"),
            ]
            if let firstError { lines.append("  first error: \(firstError)") }
            return lines.joined(separator: "\n")
        }

        /// The `fraction` percentile (nearest rank) in milliseconds.
        static func percentile(_ durations: [Duration], _ fraction: Double) -> String {
            guard !durations.isEmpty else { return "n/a" }
            let sorted = durations.sorted()
            let rank = min(sorted.count - 1, max(0, Int((fraction * Double(sorted.count)).rounded(.up)) - 1))
            return milliseconds(sorted[rank])
        }

        static func milliseconds(_ duration: Duration) -> String {
            let value = duration.components
            return String(format: "%.2f ms", Double(value.seconds) * 1000 + Double(value.attoseconds) / 1e15)
        }
    }

    func run(warmup: Duration, measure: Duration) async throws -> Result {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: tokens.count)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let started = ContinuousClock.now
        let measureFrom = started + warmup
        let end = measureFrom + measure
        let reset = Task {
            try await Task.sleep(until: measureFrom, clock: .continuous)
            timings.reset()
            return Self.processCPUTime()
        }
        let results: [ClientResult]
        do {
            results = try await withThrowingTaskGroup(of: ClientResult.self) { group in
                for (index, token) in tokens.enumerated() {
                    group.addTask { await client(index, token: token, http: http, measureFrom: measureFrom, end: end) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        } catch {
            try? await http.shutdown()
            throw error
        }
        let cpu = Self.processCPUTime() - ((try? await reset.value) ?? .zero)
        let measured = min(ContinuousClock.now, end) - measureFrom
        try await http.shutdown()
        var errors: [String: Int] = [:]
        for result in results { errors.merge(result.errors, uniquingKeysWith: +) }
        return Result(
            measured: measured, cpu: cpu, client: results.flatMap(\.latencies), server: timings.recorded(), errors: errors,
            firstError: results.lazy.compactMap(\.firstError).first)
    }

    static func processCPUTime() -> Duration {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
    }

    /// One client: buy then sell one share of a symbol, then the next symbol, until `end`.
    private func client(_ index: Int, token: String, http: HTTPClient, measureFrom: ContinuousClock.Instant, end: ContinuousClock.Instant)
        async -> ClientResult
    {
        var result = ClientResult()
        var sequence = 0
        while true {
            let started = ContinuousClock.now
            guard started < end, budget?.take() ?? true else { break }
            let outcome = await order(ticket(index, sequence), token: token, http: http)
            if started >= measureFrom {
                result.latencies.append(ContinuousClock.now - started)
                if let failure = outcome {
                    result.errors[failure.kind, default: 0] += 1
                    if result.firstError == nil { result.firstError = failure.detail }
                }
            }
            sequence += 1
        }
        return result
    }

    /// Posts one order; `nil` on a 2xx answer, else what went wrong.
    private func order(_ ticket: String, token: String, http: HTTPClient) async -> (kind: String, detail: String)? {
        var request = HTTPClientRequest(url: baseURL + "/api/trading/orders")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: ticket))
        do {
            let response = try await http.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 20)
            guard (200..<300).contains(response.status.code) else {
                return ("\(response.status.code)", "\(response.status.code) \(String(buffer: body))")
            }
            return nil
        } catch {
            return ("transport", "\(error)")
        }
    }
}

/// The orders a run may still send, shared by its clients.
private final class OrderBudget: Sendable {
    private let remaining: Atomic<Int>

    init(_ total: Int) { remaining = Atomic(total) }

    /// Takes one order from the budget; `false` once it is spent.
    func take() -> Bool {
        remaining.subtract(1, ordering: .relaxed).newValue >= 0
    }
}

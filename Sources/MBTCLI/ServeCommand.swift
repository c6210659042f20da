import ArgumentParser
import Foundation
import Hummingbird
import Logging
import MBTDomain
import MBTMarketData
import MBTServer
import MBTStorage
import MBTTrading
import ServiceLifecycle
import UnixSignals

/// `mbt serve`: the HTTP API and, as they land, the engine's background services.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the server (embedded defaults: SQLite file mbt.sqlite, 127.0.0.1:8080)."
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var market: MarketOptions
    @OptionGroup(title: "Web app") var web: WebOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Flag(inversion: .prefixedNo, help: "Apply pending migrations at start-up.") var migrate = true
    @Flag(inversion: .prefixedNo, help: "On an empty database, create user 'demo' and print its token (default: on for SQLite).")
    var demoUser: Bool?
    @Flag(inversion: .prefixedNo, help: "Evaluate resting orders on every one-minute bar in this process.") var barLoop = true
    @Flag(inversion: .prefixedNo, help: "Run the daily jobs (expiry, dividends, snapshots, tax recalculation, purges) in this process.")
    var jobs = true
    @Option(help: "Requests per minute each API key may send to the Alpaca-compatible /v2 routes.") var alpacaRateLimit = 200
    @Option(help: "Requests per minute each bearer token may send to /api (0: no limit; default 600 in production, no limit otherwise).")
    var apiRateLimit: Int?

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1...65535") }
        guard alpacaRateLimit >= 1 else { throw ValidationError("--alpaca-rate-limit must be at least 1") }
        guard (apiRateLimit ?? 0) >= 0 else { throw ValidationError("--api-rate-limit must be 0 (no limit) or more") }
    }

    func run() async throws {
        let url = try database.resolve()
        let logger = CommandEnvironment.logger(label: "mbt.serve", level: .info)
        let gate = try Self.tradingGate()
        let (provider, clock) = try market.make(environment: ProcessInfo.processInfo.environment, logger: logger)
        let demo = try await CommandEnvironment.withDatabase(url, logger: logger) { database in
            try await prepareSchema(database)
            return try await createDemoUserIfEmpty(database, wanted: demoUser ?? (url.dialect == .sqlite), at: clock.now())
        }
        let client: any DatabaseClient
        do {
            client = try await openDatabase(url, logger: logger)
        } catch {
            throw CommandFailure(error)
        }
        let accessLog = AccessLogBuffer(recorder: MarketDataAccessLogStore(database: client), logger: logger)
        let marketData = MarketDataService(provider: provider, clock: clock, accessLog: accessLog)
        let monitor = barLoop ? BarLoopMonitor() : nil
        var dependencies = AppDependencies(database: client, gate: gate, marketData: marketData, logger: logger, barLoop: monitor)
        dependencies.alpacaRateLimit = alpacaRateLimit
        dependencies.apiRateLimit = Self.apiRateLimit(apiRateLimit, deployment: gate.deployment)
        dependencies.webSettings = web.settings
        var services: [any Service] = [DatabaseService(database: client), AccessLogFlushService(buffer: accessLog)]
        if let monitor {
            let evaluator = RestingOrderEvaluator(
                database: client, marketData: marketData, calendar: dependencies.calendar, settings: dependencies.barLoopSettings,
                owner: Self.engineName(), leaseClock: SystemClock(), postFillHook: dependencies.taxLedger,
                barCloses: dependencies.barCloses, monitor: monitor, logger: logger)
            services.append(BarLoopService(evaluator: evaluator, logger: logger))
        }
        if jobs {
            let context = JobContext(
                database: client, marketData: marketData, calendar: dependencies.calendar, taxLedger: dependencies.taxLedger, logger: logger
            )
            let runner = JobRunner(context: context, owner: Self.engineName(), leaseClock: SystemClock())
            services.append(JobSchedulerService(scheduler: JobScheduler(runner: runner), logger: logger))
        }
        let app = buildApplication(dependencies, host: host, port: port, services: services)
        say(
            "MBT serving http://\(host):\(port) (database \(url), market \(provider.source), "
                + "clock \(clock.now().formatted(.iso8601)), environment \(gate.deployment.rawValue))")
        if let demo {
            say("Created user 'demo'. Its API token (shown once): \(demo.token)")
            say("Its web password (shown once): \(demo.password) — sign in at http://\(host):\(port)/")
            say("Try: curl -H 'Authorization: Bearer \(demo.token)' http://\(host):\(port)/api/trading/account")
        }
        // The shutdown deadline comes after the application, so it starts counting first.
        let group = ServiceGroup(
            configuration: .init(
                services: [app, ShutdownDeadline(logger: logger)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// `--api-rate-limit`, or by default 600 a minute in production and none elsewhere (a
    /// developer's scripts and the test suites run unthrottled); 0 turns it off.
    static func apiRateLimit(_ option: Int?, deployment: DeploymentEnvironment) -> Int? {
        let limit = option ?? (deployment == .production ? 600 : 0)
        return limit > 0 ? limit : nil
    }

    /// This process's name on the symbols its bar loop holds: host, process id and a random part,
    /// unique across restarts.
    static func engineName() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
    }

    /// Writes a line to standard output at once: serve's output is usually piped, where `print`
    /// would sit in a buffer until the server stops.
    private func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Applies pending migrations (unless `--no-migrate`), and refuses a schema this build does not know.
    private func prepareSchema(_ database: any DatabaseClient) async throws {
        let runner = MigrationRunner(database: database)
        let status = try await runner.status()
        try status.requireKnown()
        if migrate {
            try await runner.up()
        } else {
            try status.requireCurrent()
        }
    }

    /// On an empty database (when wanted), user `demo` with an API token and a generated web
    /// password, both printed once.
    private func createDemoUserIfEmpty(_ database: any DatabaseClient, wanted: Bool, at now: Date) async throws -> (
        token: String, password: String
    )? {
        let users = UserStore(database: database)
        guard wanted, try await users.list().isEmpty else { return nil }
        let password = WebPasswords.generate()
        let created = try await users.create(name: "demo", role: .admin, tier: .pro, passwordHash: WebPasswords.hash(password), at: now)
        return (created.token, password)
    }

    static func tradingGate(environment: ProcessEnvironment = .live) throws -> TradingGate {
        do {
            let deployment = try DeploymentEnvironment.from(environment)
            return TradingGate(
                flags: try FeatureFlagCatalog.resolve(environment: environment), deployment: deployment, environment: environment)
        } catch {
            throw CommandFailure(error.description)
        }
    }
}

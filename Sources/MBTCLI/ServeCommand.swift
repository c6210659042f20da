import ArgumentParser
import Foundation
import Hummingbird
import Logging
import MBTDomain
import MBTServer
import MBTStorage
import MBTTrading

/// `mbt serve`: the HTTP API and, as they land, the engine's background services.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the server (embedded defaults: SQLite file mbt.sqlite, 127.0.0.1:8080)."
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Flag(inversion: .prefixedNo, help: "Apply pending migrations at start-up.") var migrate = true
    @Flag(inversion: .prefixedNo, help: "On an empty database, create user 'demo' and print its token (default: on for SQLite).")
    var demoUser: Bool?

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1...65535") }
    }

    func run() async throws {
        let url = try database.resolve()
        let logger = CommandEnvironment.logger(label: "mbt.serve", level: .info)
        let gate = try Self.tradingGate()
        let demo = try await CommandEnvironment.withDatabase(url, logger: logger) { database in
            try await prepareSchema(database)
            return try await createDemoUserIfEmpty(database, wanted: demoUser ?? (url.dialect == .sqlite))
        }
        let client: any DatabaseClient
        do {
            client = try await openDatabase(url, logger: logger)
        } catch {
            throw CommandFailure(error)
        }
        let dependencies = AppDependencies(database: client, gate: gate, clock: CommandEnvironment.clock, logger: logger)
        let app = buildApplication(dependencies, host: host, port: port, services: [DatabaseService(database: client)])
        print("MBT serving http://\(host):\(port) (database \(url), environment \(gate.deployment.rawValue))")
        if let demo {
            print("Created user 'demo'. Its API token (shown once): \(demo)")
            print("Try: curl -H 'Authorization: Bearer \(demo)' http://\(host):\(port)/api/trading/account")
        }
        try await app.runService()
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

    private func createDemoUserIfEmpty(_ database: any DatabaseClient, wanted: Bool) async throws -> String? {
        let users = UserStore(database: database)
        guard wanted, try await users.list().isEmpty else { return nil }
        return try await users.create(name: "demo", role: .admin, tier: .pro, at: CommandEnvironment.clock.now()).token
    }

    static func tradingGate(environment: ProcessEnvironment = .live) throws -> TradingGate {
        do {
            let deployment = try DeploymentEnvironment.from(environment)
            let path = environment["MBT_FEATURE_FLAGS_FILE"] ?? FeatureFlagCatalog.defaultPath
            return TradingGate(flags: try FeatureFlagCatalog.load(path: path), deployment: deployment, environment: environment)
        } catch {
            throw CommandFailure(error.description)
        }
    }
}

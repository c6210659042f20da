import ArgumentParser
import Foundation
import MBTStorage

/// `mbt migrate up|down|status`.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply, revert or list schema migrations.",
        subcommands: [Up.self, Down.self, Status.self]
    )

    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply pending migrations (all, or up to --to N).")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Stop after this version.") var to: Int?

        func validate() throws {
            if let to, to < 0 { throw ValidationError("--to must be 0 or more") }
        }

        func run() async throws {
            let applied = try await CommandEnvironment.withDatabase(try database.resolve(), logger: CommandEnvironment.logger()) {
                try await MigrationRunner(database: $0).up(to: to)
            }
            print(applied.isEmpty ? "Nothing to apply." : applied.map { "applied \($0.version) \($0.name)" }.joined(separator: "\n"))
        }
    }

    struct Down: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revert the latest migration (or down to --to N; 0 reverts all).")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Revert every migration above this version.") var to: Int?

        func validate() throws {
            if let to, to < 0 { throw ValidationError("--to must be 0 or more") }
        }

        func run() async throws {
            let reverted = try await CommandEnvironment.withDatabase(try database.resolve(), logger: CommandEnvironment.logger()) {
                let runner = MigrationRunner(database: $0)
                let current = try await runner.status().currentVersion
                let target = to ?? max(current - 1, 0)
                return try await runner.down(to: target)
            }
            print(reverted.isEmpty ? "Nothing to revert." : reverted.map { "reverted \($0.version) \($0.name)" }.joined(separator: "\n"))
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List applied and pending migrations.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let status = try await CommandEnvironment.withDatabase(try database.resolve(), logger: CommandEnvironment.logger()) {
                try await MigrationRunner(database: $0).status()
            }
            for record in status.applied {
                let name = status.known.first { $0.version == record.version }?.name ?? "\(record.name) (unknown to this mbt)"
                print("applied  \(record.version) \(name)  \(record.appliedAt.formatted(.iso8601))")
            }
            for migration in status.pending {
                print("pending  \(migration.version) \(migration.name)")
            }
            print("schema version \(status.currentVersion) of \(Migrations.latestVersion)")
            do {
                try status.requireKnown()
            } catch {
                throw CommandFailure(error)
            }
        }
    }
}

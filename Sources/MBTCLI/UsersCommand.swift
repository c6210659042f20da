import ArgumentParser
import Foundation
import MBTDomain
import MBTStorage

/// `mbt users create|token|keys|list|delete|export`.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Manage users, their paper accounts, API tokens and Alpaca-style API keys.",
        subcommands: [Create.self, Token.self, Keys.self, List.self, Delete.self, Export.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user and their paper account (100000.00 USD); prints their API token once.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "User name: letters, digits, '.', '_' or '-'.") var name: String
        @Flag(help: "Make the user an administrator.") var admin = false
        @Option(help: "Tier: free, pro or proplus.") var tier: UserTier = .free

        func validate() throws {
            if let problem = User.validateName(name) { throw ValidationError(problem) }
        }

        func run() async throws {
            let created = try await CommandEnvironment.withCurrentSchema(try database.resolve(), logger: CommandEnvironment.logger()) {
                try await UserStore(database: $0).create(
                    name: name, role: admin ? .admin : .user, tier: tier, at: CommandEnvironment.clock.now())
            }
            print("created user \(created.user.name) (id \(created.user.id), \(created.user.role.rawValue), \(created.user.tier.rawValue))")
            print("paper account cash \(created.account.cashBalance)")
            print("API token (shown once, store it now): \(created.token)")
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a new API token for a user and revoke the earlier ones; prints it once.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "User name.") var name: String
        @Flag(help: "Revoke every token of the user and issue none.") var revoke = false

        func run() async throws {
            let environment = (try database.resolve(), CommandEnvironment.logger())
            if revoke {
                let count = try await CommandEnvironment.withCurrentSchema(environment.0, logger: environment.1) {
                    try await UserStore(database: $0).revokeTokens(ofUserNamed: name, at: CommandEnvironment.clock.now())
                }
                print("revoked \(count) token(s) of \(name); none works any more")
                return
            }
            let token = try await CommandEnvironment.withCurrentSchema(environment.0, logger: environment.1) {
                try await UserStore(database: $0).issueToken(forUserNamed: name, at: CommandEnvironment.clock.now())
            }
            print("API token for \(name) (shown once, store it now): \(token)")
        }
    }

    struct Keys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an Alpaca-style API key pair for a user (the secret is printed once), or revoke one.",
            discussion: """
                Prints APCA_API_KEY_ID=… and APCA_API_SECRET_KEY=… lines, so a shell can eval them. Alpaca programs \
                send them as the APCA-API-KEY-ID and APCA-API-SECRET-KEY headers to the /v2 routes.
                """)

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "User name.") var name: String
        @Option(name: .customLong("revoke"), help: "Revoke this key id instead of creating a pair.") var revokeKeyId: String?

        func run() async throws {
            let environment = try database.resolve()
            if let revokeKeyId {
                try await CommandEnvironment.withCurrentSchema(environment, logger: CommandEnvironment.logger()) {
                    try await APIKeyStore(database: $0).revoke(keyId: revokeKeyId, forUserNamed: name, at: CommandEnvironment.clock.now())
                }
                print("revoked key \(revokeKeyId) of \(name)")
                return
            }
            let key = try await CommandEnvironment.withCurrentSchema(environment, logger: CommandEnvironment.logger()) {
                try await APIKeyStore(database: $0).create(forUserNamed: name, at: CommandEnvironment.clock.now())
            }
            print("APCA_API_KEY_ID=\(key.keyId)")
            print("APCA_API_SECRET_KEY=\(key.secret)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let users = try await CommandEnvironment.withCurrentSchema(try database.resolve(), logger: CommandEnvironment.logger()) {
                try await UserStore(database: $0).list()
            }
            for user in users {
                print("\(user.id)\t\(user.name)\t\(user.role.rawValue)\t\(user.tier.rawValue)\t\(user.createdAt.formatted(.iso8601))")
            }
            if users.isEmpty { print("No users; create one with: mbt users create NAME") }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a user and every row of theirs.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "User name.") var name: String

        func run() async throws {
            try await CommandEnvironment.withCurrentSchema(try database.resolve(), logger: CommandEnvironment.logger()) {
                try await UserStore(database: $0).delete(named: name)
            }
            print("deleted user \(name) and all of their data")
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print everything MBT holds about a user as one JSON document (docs/privacy.md).")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "User name.") var name: String

        func run() async throws {
            let document = try await CommandEnvironment.withCurrentSchema(try database.resolve(), logger: CommandEnvironment.logger()) {
                database in
                guard let user = try await UserStore(database: database).user(named: name) else {
                    throw CommandFailure("no user named \(name)")
                }
                return try await database.withConnection { db in
                    try await UserDataExport.document(userId: user.id, at: CommandEnvironment.clock.now(), on: db)
                }
            }
            FileHandle.standardOutput.write(document ?? Data())
            print()
        }
    }
}

extension UserTier: ExpressibleByArgument {}

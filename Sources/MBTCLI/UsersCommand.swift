import ArgumentParser
import Foundation
import MBTDomain
import MBTServer
import MBTStorage

/// `mbt users create|token|keys|list|delete|export`.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Manage users, their paper accounts, API tokens, web passwords and Alpaca-style API keys.",
        subcommands: [Create.self, Token.self, Keys.self, Password.self, List.self, Delete.self, Export.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user and their paper account (100000.00 USD); prints their API token once.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "User name: letters, digits, '.', '_' or '-'.") var name: String
        @Flag(help: "Make the user an administrator.") var admin = false
        @Option(help: "Tier: free, pro or proplus.") var tier: UserTier = .free
        @Option(help: "A file holding the user's web password (its first line); without it the user has no web sign-in yet.")
        var passwordFile: String?

        func validate() throws {
            if let problem = User.validateName(name) { throw ValidationError(problem) }
        }

        func run() async throws {
            let hash = try passwordFile.map { try PasswordInput.hash(try PasswordInput.read(file: $0)) }
            let created = try await CommandEnvironment.withCurrentSchema(try database.resolve(), logger: CommandEnvironment.logger()) {
                try await UserStore(database: $0).create(
                    name: name, role: admin ? .admin : .user, tier: tier, passwordHash: hash, at: CommandEnvironment.clock.now())
            }
            print("created user \(created.user.name) (id \(created.user.id), \(created.user.role.rawValue), \(created.user.tier.rawValue))")
            print("paper account cash \(created.account.cashBalance)")
            print("API token (shown once, store it now): \(created.token)")
            if hash != nil { print("web password set") }
        }
    }

    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a user's web password, read from standard input or --password-file; signs their browsers out.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "User name.") var name: String
        @Option(help: "A file holding the new password (its first line); standard input when absent.") var passwordFile: String?

        func run() async throws {
            let password = try passwordFile.map(PasswordInput.read(file:)) ?? PasswordInput.readStandardInput()
            let hash = try PasswordInput.hash(password)
            try await CommandEnvironment.withCurrentSchema(try database.resolve(), logger: CommandEnvironment.logger()) {
                try await UserStore(database: $0).setPasswordHash(hash, forUserNamed: name, at: CommandEnvironment.clock.now())
            }
            print("web password set for \(name); their earlier web sessions are signed out")
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

/// Reads a password for the web sign-in: the first line of a file or of standard input (so
/// `echo pw | mbt users password NAME` works and the password never appears in the arguments).
enum PasswordInput {
    static func read(file path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw CommandFailure("cannot read the password file \(path)")
        }
        return firstLine(text)
    }

    static func readStandardInput() throws -> String {
        guard let line = readLine(strippingNewline: true) else { throw CommandFailure("no password on standard input") }
        return firstLine(line)
    }

    static func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            .trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
    }

    /// The bcrypt hash to store, or the reason the password cannot be used.
    static func hash(_ password: String) throws -> String {
        if let problem = WebPasswords.problem(with: password) { throw CommandFailure(problem) }
        return WebPasswords.hash(password)
    }
}

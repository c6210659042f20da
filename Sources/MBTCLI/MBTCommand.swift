import ArgumentParser
import Foundation
import Logging
import MBTServer

/// `mbt`: the root command. Subcommands parse their arguments and wire the parts together.
public struct MBTCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "mbt",
        abstract: "MBT: a multi-user paper-trading brokerage.",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, UsersCommand.self, VerifyCommand.self, BenchCommand.self, TaxCommand.self,
            JobsCommand.self,
        ]
    )

    public init() {}

    /// Runs the command line and returns the process exit code. Every failure prints one line on
    /// standard error that says what is wrong and what to do.
    public static func run(arguments: [String]) async -> Int32 {
        switch ProcessInfo.processInfo.environment["LOG_FORMAT"] ?? "text" {
        case "json": LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        case "text", "": break
        default:
            printError("LOG_FORMAT must be json or text")
            return 1
        }
        do {
            var command = try parseAsRoot(arguments)
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
            return 0
        } catch let error as CommandFailure {
            printError(error.message)
            return 1
        } catch {
            let exitCode = Self.exitCode(for: error)
            if exitCode == .success {
                print(fullMessage(for: error))
                return 0
            }
            let message = Self.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            if exitCode == .validationFailure {
                printError("\(message) (see 'mbt help')")
                return exitCode.rawValue
            }
            printError(message)
            return 1
        }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("mbt: error: \(message)\n".utf8))
    }
}

/// A failure a command reports as one line and exit status 1.
struct CommandFailure: Error {
    let message: String

    init(_ message: String) {
        self.message = message
    }

    init(_ error: any Error) {
        self.message = String(describing: error)
    }
}

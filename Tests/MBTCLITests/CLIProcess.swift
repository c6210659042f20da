import Foundation
import Testing

/// Runs the built `mbt` binary as a child process, as a user would.
struct CLIProcess {
    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String

        var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
    }

    /// The `mbt` executable next to the test bundle (`swift build` puts both in the same folder).
    static let binary: URL = {
        let besideTests = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("mbt")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/mbt")
    }()

    /// The repository root, where `feature_flags.yaml` lives.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `input`, when given, is written to the command's standard input, which is then closed.
    static func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) async throws -> Outcome {
        let process = try start(arguments, environment: environment, input: input != nil)
        if let input, let stdin = process.standardInput as? Pipe {
            try stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        let stdout = process.standardOutput as! Pipe
        let stderr = process.standardError as! Pipe
        async let out = stdout.fileHandleForReading.readToEnd()
        async let err = stderr.fileHandleForReading.readToEnd()
        let (outData, errData) = try await (out, err)
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            stdout: String(decoding: outData ?? Data(), as: UTF8.self),
            stderr: String(decoding: errData ?? Data(), as: UTF8.self)
        )
    }

    /// Where a started process's output goes.
    enum Output {
        /// Pipes, read by ``run(_:environment:input:)``.
        case pipes
        /// For a long-running process nobody reads while it runs: a pipe nobody drains fills after
        /// 64 KiB, and then every thread that logs blocks, so the process wedges.
        case discarded
        case file(String)
    }

    static func start(
        _ arguments: [String], environment: [String: String] = [:], input: Bool = false, output: Output = .pipes
    ) throws -> Process {
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw CLITestError("mbt is not built at \(binary.path); run `swift build` first")
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        var inherited = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("MBT_") && $0.key != "DATABASE_URL" }
        inherited.merge(environment) { $1 }
        process.environment = inherited
        switch output {
        case .pipes:
            process.standardOutput = Pipe()
            process.standardError = Pipe()
        case .discarded:
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        case .file(let path):
            guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path)
            else { throw CLITestError("cannot write \(path)") }
            process.standardOutput = file
            process.standardError = file
        }
        if input { process.standardInput = Pipe() }
        try process.run()
        return process
    }
}

struct CLITestError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

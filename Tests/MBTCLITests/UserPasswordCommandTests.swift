import Foundation
import MBTServer
import MBTStorage
import MBTTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `mbt users create --password-file` and `mbt users password`: the web password is stored only as
/// a bcrypt hash, read from a file or standard input, never from the arguments.
@Suite("mbt users: web passwords")
struct UserPasswordCommandTests {
    @Test func passwordsFromAFileAndFromStandardInput() async throws {
        try await TestDatabase.withFresh { database, url in
            let env = ["DATABASE_URL": url.connectionString]
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("mbt-password-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: file) }
            try "first password\nignored second line\n".write(to: file, atomically: true, encoding: .utf8)

            let created = try await CLIProcess.run(["users", "create", "alice", "--password-file", file.path], environment: env)
            #expect(created.status == 0, "\(created.stderr)")
            #expect(created.stdout.contains("web password set"))
            #expect(!created.stdout.contains("first password"))
            let users = UserStore(database: database)
            let firstHash = try #require(try await users.credentials(named: "alice")?.passwordHash)
            #expect(firstHash.hasPrefix("$2b$12$"))
            #expect(WebPasswords.verify("first password", hash: firstHash))

            let changed = try await CLIProcess.run(["users", "password", "alice"], environment: env, input: "second password\n")
            #expect(changed.status == 0, "\(changed.stderr)")
            let secondHash = try #require(try await users.credentials(named: "alice")?.passwordHash)
            #expect(WebPasswords.verify("second password", hash: secondHash))
            #expect(!WebPasswords.verify("first password", hash: secondHash))

            let short = try await CLIProcess.run(["users", "password", "alice"], environment: env, input: "short\n")
            #expect(short.status == 1)
            #expect(short.stderrLines == ["mbt: error: the password must have at least 8 characters"])
            let unknown = try await CLIProcess.run(["users", "password", "nobody", "--password-file", file.path], environment: env)
            #expect(unknown.status == 1)
            #expect(unknown.stderrLines == ["mbt: error: user 'nobody' not found"])
            #expect(try await users.credentials(named: "alice")?.passwordHash == secondHash, "refusals change nothing")
        }
    }
}

@Suite("mbt serve: the demo user")
struct DemoUserTests {
    @Test func theDemoUserGetsAPasswordPrintedOnce() async throws {
        try await TestDatabase.withFresh(migrated: false) { database, url in
            let port = TestPort.random()
            let process = try CLIProcess.start(
                ["serve", "--port", "\(port)", "--demo-user", "--no-bar-loop", "--no-jobs", "--market", "simulated"],
                environment: ["DATABASE_URL": url.connectionString])
            defer { if process.isRunning { process.terminate() } }
            // The lines are printed before the server starts answering.
            var ready = false
            for _ in 0..<100 where !ready {
                try await Task.sleep(for: .milliseconds(100))
                ready = (try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/health")!)) != nil
            }
            let hash = try await UserStore(database: database).credentials(named: "demo")?.passwordHash
            kill(process.processIdentifier, SIGTERM)
            let output = String(decoding: try (process.standardOutput as! Pipe).fileHandleForReading.readToEnd() ?? Data(), as: UTF8.self)
            process.waitUntilExit()
            let line = try #require(output.split(separator: "\n").first { $0.hasPrefix("Its web password (shown once): ") })
            let password = String(try #require(line.dropFirst("Its web password (shown once): ".count).split(separator: " ").first))
            #expect(password.count == 20)
            #expect(WebPasswords.verify(password, hash: try #require(hash)))
            #expect(output.contains("sign in at http://127.0.0.1:\(port)/"))
        }
    }
}

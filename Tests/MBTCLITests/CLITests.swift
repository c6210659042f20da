import Foundation
import MBTStorage
import MBTTestSupport
import SQLKit
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The `mbt` command line, run as a child process: every failure is one clear line and a non-zero
/// exit, and nothing is changed by a failed command.
@Suite("mbt command line")
struct CLITests {
    @Test(arguments: [
        ["bogus"], ["users", "bogus"], ["serve", "--bogus"], ["migrate", "up", "--to", "-1"], ["users", "create", "bad name"],
        ["serve", "--session-idle-minutes", "0"], ["serve", "--go-live-trading-days=-1"],
    ])
    func badArgumentsExitNonZeroWithOneLine(arguments: [String]) async throws {
        let outcome = try await CLIProcess.run(arguments, environment: ["DATABASE_URL": "sqlite:///nonexistent/dir/x.sqlite"])
        #expect(outcome.status == 64)
        #expect(outcome.stderrLines.count == 1, "\(outcome.stderr)")
        #expect(outcome.stderrLines.first?.hasPrefix("mbt: error: ") == true)
        #expect(outcome.stdout.isEmpty)
    }

    @Test(arguments: [
        ("mysql://x/y", "invalid DATABASE_URL"),
        ("postgres://nobody@127.0.0.1:1/nothing", "database unreachable"),
        // users list refuses the missing file; migrate and serve fail to create it.
        ("sqlite:///nonexistent/dir/x.sqlite", "/nonexistent/dir/x.sqlite"),
    ])
    func databaseProblemsExitNonZeroWithOneLine(url: String, message: String) async throws {
        for arguments in [["users", "list"], ["migrate", "status"], ["serve", "--port", "1"]] {
            let outcome = try await CLIProcess.run(arguments, environment: ["DATABASE_URL": url])
            #expect(outcome.status == 1)
            #expect(outcome.stderrLines.count == 1, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.contains(message))
        }
    }

    @Test func usersLifecycleThroughTheCLI() async throws {
        try await TestDatabase.withFresh { database, url in
            let env = ["DATABASE_URL": url.connectionString]
            let created = try await CLIProcess.run(["users", "create", "alice", "--admin", "--tier", "proplus"], environment: env)
            #expect(created.status == 0, "\(created.stderr)")
            let token = try #require(
                created.stdout.split(separator: " ").last.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) })
            let users = UserStore(database: database)
            let alice = try #require(try await users.user(forToken: token))
            #expect(alice.name == "alice")
            #expect(alice.role == .admin)
            #expect(alice.tier == .proplus)

            let duplicate = try await CLIProcess.run(["users", "create", "alice"], environment: env)
            #expect(duplicate.status == 1)
            #expect(duplicate.stderrLines == ["mbt: error: user 'alice' already exists"])

            let second = try await CLIProcess.run(["users", "token", "alice"], environment: env)
            #expect(second.status == 0)
            let secondToken = try #require(
                second.stdout.split(separator: " ").last.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) })
            #expect(try await users.user(forToken: secondToken)?.id == alice.id)
            #expect(try await users.user(forToken: token) == nil, "the earlier token stops working")

            let listed = try await CLIProcess.run(["users", "list"], environment: env)
            #expect(listed.stdout.contains("alice\tadmin\tproplus"))

            let exported = try await CLIProcess.run(["users", "export", "alice"], environment: env)
            #expect(exported.status == 0, "\(exported.stderr)")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(exported.stdout.utf8)) as? [String: Any])
            #expect((document["user"] as? [String: Any])?["name"] as? String == "alice")
            #expect(((document["tables"] as? [String: Any])?["api_tokens"] as? [Any])?.count == 2)
            #expect(!exported.stdout.contains(secondToken))

            let revoked = try await CLIProcess.run(["users", "token", "alice", "--revoke"], environment: env)
            #expect(revoked.status == 0 && revoked.stdout.contains("revoked 1 token(s)"), "\(revoked.stdout)")
            #expect(try await users.user(forToken: secondToken) == nil, "no token works after --revoke")

            #expect(try await CLIProcess.run(["users", "delete", "alice"], environment: env).status == 0)
            #expect(try await users.list().isEmpty)
            let again = try await CLIProcess.run(["users", "delete", "alice"], environment: env)
            #expect(again.status == 1)
            #expect(again.stderrLines == ["mbt: error: user 'alice' not found"])
        }
    }

    @Test func alpacaKeysArePrintedOnceAsShellLinesAndRevokedByKeyId() async throws {
        try await TestDatabase.withFresh { database, url in
            let env = ["DATABASE_URL": url.connectionString]
            #expect(try await CLIProcess.run(["users", "create", "bot"], environment: env).status == 0)
            let created = try await CLIProcess.run(["users", "keys", "bot"], environment: env)
            #expect(created.status == 0, "\(created.stderr)")
            let lines = created.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 2)
            let keyId = try #require(lines.first { $0.hasPrefix("APCA_API_KEY_ID=") }?.dropFirst("APCA_API_KEY_ID=".count))
            let secret = try #require(lines.first { $0.hasPrefix("APCA_API_SECRET_KEY=") }?.dropFirst("APCA_API_SECRET_KEY=".count))
            let keys = APIKeyStore(database: database)
            #expect(try await keys.user(keyId: String(keyId), secret: String(secret))?.name == "bot")
            #expect(try await keys.user(keyId: String(keyId), secret: "wrong") == nil)

            let revoked = try await CLIProcess.run(["users", "keys", "bot", "--revoke", String(keyId)], environment: env)
            #expect(revoked.status == 0)
            #expect(try await keys.user(keyId: String(keyId), secret: String(secret)) == nil)
            let again = try await CLIProcess.run(["users", "keys", "bot", "--revoke", String(keyId)], environment: env)
            #expect(again.status == 1)
            #expect(again.stderrLines == ["mbt: error: active key \(keyId) of user 'bot' not found"])
            let nobody = try await CLIProcess.run(["users", "keys", "nobody"], environment: env)
            #expect(nobody.stderrLines == ["mbt: error: user 'nobody' not found"])
        }
    }

    @Test(arguments: [["verify"], ["users", "list"], ["jobs", "list"]])
    func aCommandOnAMissingSQLiteFileRefusesInsteadOfCreatingIt(arguments: [String]) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mbt-missing-\(UUID().uuidString).sqlite").path
        let outcome = try await CLIProcess.run(arguments, environment: ["DATABASE_URL": "sqlite://\(path)"])
        #expect(outcome.status == 1)
        #expect(outcome.stderrLines.first?.hasPrefix("mbt: error: no database at \(path)") == true, "\(outcome.stderrLines)")
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func migrateUpDownAndStatus() async throws {
        try await TestDatabase.withFresh(migrated: false) { database, url in
            let env = ["DATABASE_URL": url.connectionString]
            let pending = try await CLIProcess.run(["users", "list"], environment: env)
            #expect(pending.status == 1)
            #expect(pending.stderr.contains("mbt migrate up"))

            #expect(try await CLIProcess.run(["migrate", "up", "--to", "3"], environment: env).status == 0)
            #expect(try await MigrationRunner(database: database).status().currentVersion == 3)
            #expect(try await CLIProcess.run(["migrate", "up"], environment: env).status == 0)
            #expect(try await MigrationRunner(database: database).status().currentVersion == Migrations.latestVersion)
            #expect(try await CLIProcess.run(["migrate", "down"], environment: env).status == 0)
            #expect(try await MigrationRunner(database: database).status().currentVersion == Migrations.latestVersion - 1)
            let status = try await CLIProcess.run(["migrate", "status"], environment: env)
            #expect(status.stdout.contains("pending  \(Migrations.latestVersion)"))
            #expect(try await CLIProcess.run(["migrate", "down", "--to", "0"], environment: env).status == 0)
            #expect(try await MigrationRunner(database: database).status().currentVersion == 0)
        }
    }

    @Test func serveRefusesADatabaseFromANewerBuild() async throws {
        try await TestDatabase.withFresh { database, url in
            try await database.withConnection { db in
                try await db.insert(into: "mbt_schema_migrations").columns("version", "name")
                    .values(SQLBind(Migrations.latestVersion + 1), SQLBind("FromTheFuture")).run()
            }
            for arguments in [["serve", "--port", "1"], ["migrate", "up"], ["users", "list"]] {
                let outcome = try await CLIProcess.run(arguments, environment: ["DATABASE_URL": url.connectionString])
                #expect(outcome.status == 1)
                #expect(outcome.stderrLines.count == 1, "\(arguments): \(outcome.stderr)")
                #expect(outcome.stderr.contains("only knows up to \(Migrations.latestVersion)"))
            }
        }
    }

    @Test func serveRefusesAnUnknownEnvironment() async throws {
        let outcome = try await CLIProcess.run(["serve"], environment: ["MBT_ENV": "prod", "DATABASE_URL": "sqlite://:memory:"])
        #expect(outcome.status == 1)
        #expect(outcome.stderrLines == ["mbt: error: MBT_ENV must be development, staging or production (got 'prod')"])
    }

    @Test func serveMigratesAnswersAndShutsDownGracefully() async throws {
        try await TestDatabase.withFresh(migrated: false) { database, url in
            let port = TestPort.random()
            let process = try CLIProcess.start(
                ["serve", "--port", "\(port)"],
                environment: ["DATABASE_URL": url.connectionString, "LOG_FORMAT": "json", "LOG_LEVEL": "info"])
            defer { if process.isRunning { process.terminate() } }

            // A minute: on a loaded machine migrating and starting can take a while.
            var healthy = false
            for _ in 0..<600 where !healthy {
                try await Task.sleep(for: .milliseconds(100))
                healthy = (try? await Self.status(of: "http://127.0.0.1:\(port)/ready")) == 200
            }
            #expect(healthy)
            #expect(try await MigrationRunner(database: database).status().currentVersion == Migrations.latestVersion)

            kill(process.processIdentifier, SIGTERM)
            for _ in 0..<100 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
            #expect(!process.isRunning)
            #expect(process.terminationStatus == 0)

            // LOG_FORMAT=json: every line is one JSON object; a request's names its route and status.
            let stderr = try #require(process.standardError as? Pipe)
            let log = try stderr.fileHandleForReading.readToEnd() ?? Data()
            let lines = String(decoding: log, as: UTF8.self).split(separator: "\n")
            let objects = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            #expect(objects.count == lines.count, "lines that are not JSON: \(lines.prefix(3))")
            let ready = try #require(objects.first { $0["message"] as? String == "request" && $0["route"] as? String == "/ready" })
            #expect(ready["status"] as? String == "200" && ready["level"] as? String == "info")
            #expect((ready["request_id"] as? String)?.isEmpty == false && ready["duration_ms"] != nil)
        }
    }

    private static func status(of url: String) async throws -> Int {
        let (_, response) = try await URLSession.shared.data(from: URL(string: url)!)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}

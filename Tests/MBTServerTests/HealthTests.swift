import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTStorage
import MBTTestSupport
import SQLKit
import Synchronization
import Testing

@Suite("Health and readiness")
struct HealthTests {
    @Test func healthAnswersWhileTheProcessIsUp() async throws {
        try await TestApp.run { app in
            let response = try await app.request(.get, "/health")
            #expect(response.status == .ok)
            #expect(try response.json()["status"] as? String == "ok")
            // Every response names its request, so a client can quote it to an operator.
            let first = try #require(response.headers[HTTPField.Name("X-Request-Id")!])
            let second = try await app.request(.get, "/health").headers[HTTPField.Name("X-Request-Id")!]
            #expect(!first.isEmpty && second != first)
        }
    }

    @Test func readyWhenTheSchemaIsCurrent() async throws {
        try await TestApp.run { app in
            let response = try await app.request(.get, "/ready")
            #expect(response.status == .ok)
            #expect(try response.json()["schema_version"] as? Int == Migrations.latestVersion)
        }
    }

    @Test func notReadyWhileMigrationsArePending() async throws {
        try await TestApp.run(migrated: false) { app in
            let response = try await app.request(.get, "/ready")
            #expect(response.status == .serviceUnavailable)
            #expect(try response.errorCode() == "not_ready")
            try await MigrationRunner(database: app.database).up(to: 4)
            #expect(try await app.request(.get, "/ready").status == .serviceUnavailable)
            try await MigrationRunner(database: app.database).up()
            #expect(try await app.request(.get, "/ready").status == .ok)
        }
    }
}

/// A database that stops answering when told to: every new connection then waits forever.
final class StallingDatabase: DatabaseClient {
    let base: any DatabaseClient
    private let stalled = Mutex(false)

    init(_ base: any DatabaseClient) {
        self.base = base
    }

    var dialect: DatabaseDialect { base.dialect }

    func stall() { stalled.withLock { $0 = true } }

    private func waitIfStalled() async throws {
        if stalled.withLock({ $0 }) { try await Task.sleep(for: .seconds(3600)) }
    }

    func withConnection<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await waitIfStalled()
        return try await base.withConnection(body)
    }

    func withTransaction<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await waitIfStalled()
        return try await base.withTransaction(body)
    }

    func run() async { await base.run() }
}

@Suite("Readiness when the database hangs")
struct StalledReadinessTests {
    @Test func readyAnswers503WithinItsLimitInsteadOfWaiting() async throws {
        let holder = Mutex<StallingDatabase?>(nil)
        try await TestApp.run(database: { base in
            let stalling = StallingDatabase(base)
            holder.withLock { $0 = stalling }
            return stalling
        }) { app in
            #expect(try await app.request(.get, "/ready").status == .ok)
            holder.withLock { $0 }?.stall()
            let started = ContinuousClock.now
            let response = try await app.request(.get, "/ready")
            #expect(response.status == .serviceUnavailable)
            #expect(try response.errorCode() == "not_ready")
            // The stall lasts an hour: answering at all proves the limit; the bound leaves a
            // machine running the whole suite slack over the 2 s limit.
            #expect(ContinuousClock.now - started < .seconds(60))
        }
    }
}

import HTTPTypes
import HummingbirdTesting
import MBTStorage
import MBTTestSupport
import Testing

@Suite("Health and readiness")
struct HealthTests {
    @Test func healthAnswersWhileTheProcessIsUp() async throws {
        try await TestApp.run { app in
            let response = try await app.request(.get, "/health")
            #expect(response.status == .ok)
            #expect(try response.json()["status"] as? String == "ok")
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

import Hummingbird
import MBTStorage

/// `/health`: the process is up. `/ready`: the database answers and its schema is current.
struct HealthRoutes {
    let database: any DatabaseClient

    struct Health: ResponseEncodable {
        let status: String
    }

    struct Readiness: ResponseEncodable {
        let status: String
        let schemaVersion: Int
    }

    func register(on routes: inout RouteRegistrar) {
        routes.on(.get, "/health") { _, _ in Health(status: "ok") }
        routes.on(.get, "/ready") { _, _ in try await readiness() }
    }

    private func readiness() async throws -> Readiness {
        let status: MigrationStatus
        do {
            status = try await MigrationRunner(database: database).status()
        } catch {
            throw APIError.unavailable(code: "not_ready", "database is not reachable")
        }
        do {
            try status.requireCurrent()
        } catch {
            throw APIError.unavailable(code: "not_ready", error.description)
        }
        return Readiness(status: "ready", schemaVersion: status.currentVersion)
    }
}

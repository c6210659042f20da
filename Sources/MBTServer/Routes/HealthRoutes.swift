import Hummingbird
import MBTStorage

/// `/health`: the process is up. `/ready`: the database answers, within a few seconds, and its
/// schema is current; a database that hangs or is gone makes it 503 rather than wait.
struct HealthRoutes {
    let database: any DatabaseClient
    /// How long readiness waits for the database before answering 503.
    static let databaseLimit: Duration = .seconds(2)

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
        let database = self.database
        do {
            status = try await Deadline.race(Self.databaseLimit) { try await MigrationRunner(database: database).status() }
        } catch let error as DeadlineExceeded {
            throw APIError.unavailable(code: "not_ready", "\(error)")
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

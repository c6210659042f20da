import Foundation
import Hummingbird
import MBTDomain
import MBTStorage
import MBTTrading

/// `GET /api/admin/jobs` (admins only; anyone else is told there is no such route): the daily
/// jobs' recent runs and the next run of each on the market clock (docs/jobs.md).
struct JobRoutes {
    let runs: JobRunStore
    let clock: any MarketClock
    let calendar: NYSECalendar

    struct JobsResponse: ResponseEncodable {
        let now: Date
        let jobs: [JobBody]
    }

    struct JobBody: Encodable {
        let name: String
        let schedule: String
        let nextRunDate: String
        let nextRunAt: Date
        let runs: [RunBody]
    }

    struct RunBody: Encodable {
        let date: String
        let status: String
        let owner: String
        let startedAt: Date
        let finishedAt: Date?
        let accounts: Int
        let rowsWritten: Int
        let error: String?
    }

    func register(on routes: inout RouteRegistrar) {
        routes.on(.get, "/api/admin/jobs") { request, context in
            let user = try context.requireUser()
            guard user.isAdmin else { throw APIError.notFound("no route for GET \(request.uri.path)") }
            return try await jobs()
        }
    }

    /// Each job with its next run and recent runs (also shown by the web app's admin page).
    func jobs() async throws -> JobsResponse {
        let now = clock.now()
        let recent = try await runs.recent(limit: 200)
        return JobsResponse(
            now: now,
            jobs: DailyJob.allCases.map { job in
                let next = job.nextRun(after: now, calendar: calendar)
                return JobBody(
                    name: job.rawValue, schedule: job.scheduleDescription, nextRunDate: next.date.description,
                    nextRunAt: next.at,
                    runs: recent.filter { $0.job == job.rawValue }.prefix(10).map { run in
                        RunBody(
                            date: run.date, status: run.status.rawValue, owner: run.owner, startedAt: run.startedAt,
                            finishedAt: run.finishedAt, accounts: run.accounts, rowsWritten: run.rowsWritten, error: run.error)
                    })
            })
    }
}

import Foundation
import Hummingbird
import MBTDomain
import MBTStorage

/// `GET /admin/jobs` (admins only; anyone else gets 404, as from `GET /api/admin/jobs`): each
/// daily job's schedule, next run and recent runs, from the same code as that route.
struct AdminJobsPage {
    let jobs: JobRoutes
    let pages: WebPages

    struct Run {
        let date: String
        let status: String
        let started: String
        let finished: String
        let accounts: Int
        let rowsWritten: Int
        let error: String?
    }

    struct Job {
        let name: String
        let schedule: String
        let nextRun: String
        let runs: [Run]
        let hasRuns: Bool
    }

    struct Model {
        let now: String
        let jobs: [Job]
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("/admin/jobs") { _, context -> Response in
            let session = try context.requireSession()
            guard session.user.isAdmin else { throw WebError.notFound }
            let response = try await jobs.jobs()
            let model = Model(
                now: WebFormat.instant(response.now),
                jobs: response.jobs.map { job in
                    Job(
                        name: job.name, schedule: job.schedule, nextRun: WebFormat.instant(job.nextRunAt),
                        runs: job.runs.map { run in
                            Run(
                                date: run.date, status: run.status, started: WebFormat.instant(run.startedAt),
                                finished: run.finishedAt.map(WebFormat.instant) ?? "—", accounts: run.accounts,
                                rowsWritten: run.rowsWritten,
                                error: run.error)
                        }, hasRuns: !job.runs.isEmpty)
                })
            return pages.page("admin_jobs", model, title: "Jobs", session: session, current: "/admin/jobs")
        }
    }
}

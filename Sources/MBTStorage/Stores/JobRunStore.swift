import Foundation
import SQLKit

/// `job_runs`: one row per (job, date), claimed with a lease so that of several `serve` processes
/// on one database exactly one runs a job-date; a run whose owner died (its lease lapsed) is taken
/// over, a failed one is tried again, a finished one only with `force` (docs/jobs.md).
public struct JobRunStore: Sendable {
    public let database: any DatabaseClient

    public init(database: any DatabaseClient) {
        self.database = database
    }

    public enum Status: String, Sendable, Hashable {
        case running, succeeded, failed
    }

    public struct Run: Sendable, Hashable {
        public var id: Int64
        public var job: String
        public var date: String
        public var status: Status
        public var owner: String
        public var leaseUntil: Date
        public var startedAt: Date
        public var finishedAt: Date?
        public var accounts: Int
        public var rowsWritten: Int
        public var error: String?
    }

    /// Claims the run of `job` on `date` for `owner` until `leaseUntil`: a new row, or an existing
    /// one that failed, whose lease lapsed before `now`, or (with `force`) that succeeded. Returns
    /// the claimed run, or `nil` when another owner holds it or it is done.
    public func claim(job: String, date: String, owner: String, now: Date, leaseUntil: Date, force: Bool = false) async throws -> Run? {
        try await database.withConnection { db in
            let takeOver: SQLQueryString = force
                ? "job_runs.status <> 'running' OR job_runs.lease_until < \(bind: StoredTimestamp(now))"
                : "job_runs.status = 'failed' OR (job_runs.status = 'running' AND job_runs.lease_until < \(bind: StoredTimestamp(now)))"
            var query: SQLQueryString = """
                INSERT INTO job_runs (job_name, run_date, status, owner, lease_until, started_at) \
                VALUES (\(bind: job), \(bind: date), 'running', \(bind: owner), \(bind: StoredTimestamp(leaseUntil)), \(bind: StoredTimestamp(now))) \
                ON CONFLICT (job_name, run_date) DO UPDATE SET status = 'running', owner = excluded.owner, \
                lease_until = excluded.lease_until, started_at = excluded.started_at, finished_at = NULL, error = NULL, \
                accounts = 0, rows_written = 0 WHERE 
                """
            query += takeOver
            query += " RETURNING \(unsafeRaw: Self.columns)"
            return try await db.raw(query).first().map(Self.decode)
        }
    }

    /// Extends the lease of a run `owner` still holds; `false` when it lost it.
    public func renew(_ id: Int64, owner: String, until: Date) async throws -> Bool {
        try await database.withConnection { db in
            try await db.update("job_runs").set("lease_until", to: SQLBind(StoredTimestamp(until)))
                .where("id", .equal, SQLBind(id)).where("owner", .equal, SQLBind(owner)).where("status", .equal, SQLBind("running"))
                .returning("id").first() != nil
        }
    }

    public func finish(
        _ id: Int64, owner: String, status: Status, accounts: Int, rowsWritten: Int, error: String?, detail: String, at now: Date
    ) async throws {
        try await database.withConnection { db in
            try await db.update("job_runs").set("status", to: SQLBind(status.rawValue))
                .set("finished_at", to: SQLBind(StoredTimestamp(now))).set("accounts", to: SQLBind(accounts))
                .set("rows_written", to: SQLBind(rowsWritten)).set("error", to: SQLBind(error)).set("detail", to: SQLBind(detail))
                .where("id", .equal, SQLBind(id)).where("owner", .equal, SQLBind(owner)).run()
        }
    }

    /// The newest runs first, optionally of one job.
    public func recent(job: String? = nil, limit: Int) async throws -> [Run] {
        try await database.withConnection { db in
            let query = db.select().columns(Self.columnList.map { SQLColumn($0) }).from("job_runs")
            if let job { query.where("job_name", .equal, SQLBind(job)) }
            return try await query.orderBy("run_date", .descending).orderBy("id", .descending).limit(limit).all().map(Self.decode)
        }
    }

    /// Runs whose owner stopped renewing them (it died mid-run): still `running`, their lease lapsed
    /// before `now`, as (job, date) pairs.
    public func abandoned(now: Date) async throws -> [(job: String, date: String)] {
        try await database.withConnection { db in
            try await db.select().columns("job_name", "run_date").from("job_runs").where("status", .equal, SQLBind("running"))
                .where("lease_until", .lessThan, SQLBind(StoredTimestamp(now))).all().map { row in
                    (try row.decode(column: "job_name", as: String.self), try row.decode(column: "run_date", as: String.self))
                }
        }
    }

    /// The latest date each job has a row for (run, running or failed).
    public func latestDates() async throws -> [String: String] {
        try await database.withConnection { db in
            var latest: [String: String] = [:]
            for row in try await db.raw("SELECT job_name, MAX(run_date) AS run_date FROM job_runs GROUP BY job_name").all() {
                latest[try row.decode(column: "job_name", as: String.self)] = try row.decode(column: "run_date", as: String.self)
            }
            return latest
        }
    }

    public func run(job: String, date: String) async throws -> Run? {
        try await database.withConnection { db in
            try await db.select().columns(Self.columnList.map { SQLColumn($0) }).from("job_runs")
                .where("job_name", .equal, SQLBind(job)).where("run_date", .equal, SQLBind(date)).first().map(Self.decode)
        }
    }

    static let columnList = [
        "id", "job_name", "run_date", "status", "owner", "lease_until", "started_at", "finished_at", "accounts", "rows_written", "error",
    ]
    static var columns: String { columnList.joined(separator: ", ") }

    static func decode(_ row: any SQLRow) throws -> Run {
        Run(
            id: try row.decode(column: "id", as: Int64.self), job: try row.decode(column: "job_name", as: String.self),
            date: try row.decode(column: "run_date", as: String.self),
            status: Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .failed,
            owner: try row.decode(column: "owner", as: String.self), leaseUntil: try row.timestamp("lease_until"),
            startedAt: try row.timestamp("started_at"), finishedAt: try row.optionalTimestamp("finished_at"),
            accounts: try row.decode(column: "accounts", as: Int.self), rowsWritten: try row.decode(column: "rows_written", as: Int.self),
            error: try row.decode(column: "error", as: String?.self))
    }
}

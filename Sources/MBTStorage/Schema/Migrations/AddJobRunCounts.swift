/// What each daily job run did (issue: the scheduler records status, start and finish, counts and
/// the error): accounts touched, rows written, and the error of a failed run.
let addJobRunCounts = Migration(
    version: 15,
    name: "AddJobRunCounts",
    up: [
        .portable("ALTER TABLE job_runs ADD COLUMN accounts INTEGER NOT NULL DEFAULT 0"),
        .portable("ALTER TABLE job_runs ADD COLUMN rows_written INTEGER NOT NULL DEFAULT 0"),
        .portable("ALTER TABLE job_runs ADD COLUMN error TEXT"),
        .portable("CREATE INDEX job_runs_started ON job_runs(started_at)"),
    ],
    down: [
        .portable("DROP INDEX job_runs_started"),
        .portable("ALTER TABLE job_runs DROP COLUMN error"),
        .portable("ALTER TABLE job_runs DROP COLUMN rows_written"),
        .portable("ALTER TABLE job_runs DROP COLUMN accounts"),
    ]
)

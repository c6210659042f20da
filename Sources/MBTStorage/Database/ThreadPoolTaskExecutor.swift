import NIOPosix

/// Runs Swift concurrency jobs on a ``NIOThreadPool``'s threads.
///
/// SQLiteNIO runs every statement as a work item on the SQLite connection's one-thread pool and
/// resumes the caller from there. A caller on the shared cooperative pool therefore hops threads
/// twice per statement, and on a small machine each hop is a thread wake-up costing tens of
/// microseconds: with one writer, that is most of what bounds orders per second. Code that prefers
/// this executor (``SQLiteDatabaseClient`` wraps each connection use in
/// `withTaskExecutorPreference`) runs on that same thread, so a statement and the code around it
/// follow each other on one thread without waking another.
final class ThreadPoolTaskExecutor: TaskExecutor {
    private let pool: NIOThreadPool

    init(pool: NIOThreadPool) {
        self.pool = pool
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        // Run the job whatever the pool's state: after shutdown the pool calls back at once on
        // this thread, and a job that never ran would leave its task suspended for ever.
        pool.submit { _ in job.runSynchronously(on: executor) }
    }
}

import NIOCore

/// A task executor that runs every job on one NIO event loop.
///
/// A task that prefers it (`withTaskExecutorPreference`) stays on that loop: its awaits on the loop's own futures
/// and async sequences resume there without a wake-up of another thread, and its default actors run there too.
/// Long CPU work must not run on it (scrypt does not: ``PasswordHasher`` sends it to Dispatch).
final class EventLoopTaskExecutor: TaskExecutor {
    private let eventLoop: any EventLoop

    /// Creates the executor for `eventLoop`.
    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Schedules the job on the loop; from the loop itself that is a queue append, not a wake-up.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

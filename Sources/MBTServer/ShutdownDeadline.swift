import Foundation
import Logging
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Ends the process `bound` after graceful shutdown begins if it has not ended by itself
/// (docs/operations.md, "Shutdown"). Graceful shutdown waits for requests in flight, and a request
/// stuck on a wait that nothing bounds would otherwise keep a stopped server alive forever; every
/// account change is a committed transaction or nothing, so exiting loses no acknowledged work.
///
/// Run it after the application in a group of its own: a group shuts its services down in reverse
/// order, so this one starts counting first and gets out of the way at once.
public struct ShutdownDeadline: Service {
    public static let standard: Duration = .seconds(10)

    public let bound: Duration
    public let logger: Logger

    public init(bound: Duration = Self.standard, logger: Logger) {
        self.bound = bound
        self.logger = logger
    }

    public func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            return
        }
        let (bound, logger) = (self.bound, self.logger)
        Task.detached {
            try? await Task.sleep(for: bound)
            logger.critical("shutdown did not finish within \(bound); exiting with work still in flight")
            exit(EXIT_FAILURE)
        }
    }
}

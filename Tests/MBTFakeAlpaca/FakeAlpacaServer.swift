import Foundation
import Hummingbird
import Logging
import MBTDomain
import NIOCore
import ServiceLifecycle

/// A stand-in for Alpaca's Market Data API on 127.0.0.1: the same paths, query parameters, JSON
/// shapes, authentication headers, rate-limit headers, paging and error bodies, with scripted
/// failures. Tests run the real client against it over real HTTP.
public enum FakeAlpacaServer {
    /// Starts the server on a free loopback port, runs `body` with its base URL, and stops it.
    public static func run<T: Sendable>(
        _ state: FakeAlpacaState,
        _ body: @Sendable (String) async throws -> T
    ) async throws -> T {
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "fake-alpaca")
        logger.logLevel = .critical
        let app = Application(
            router: FakeAlpacaRoutes.router(state),
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "fake-alpaca"),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            let serviceGroup = ServiceGroup(configuration: .init(services: [app], logger: logger))
            group.addTask { try await serviceGroup.run() }
            var iterator = portStream.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else { throw FakeAlpacaError("fake Alpaca server did not start") }
            do {
                let result = try await body("http://127.0.0.1:\(port)")
                await serviceGroup.triggerGracefulShutdown()
                try await group.waitForAll()
                return result
            } catch {
                await serviceGroup.triggerGracefulShutdown()
                try? await group.waitForAll()
                throw error
            }
        }
    }
}

struct FakeAlpacaError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

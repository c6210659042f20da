import Foundation
import MBTServer
import MBTTestSupport
import NIOCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The HTTP server's limits (docs/operations.md, "Limits"), probed over a raw socket as a slow or
/// greedy client would: a request head or body that dribbles in is cut off at the deadline, an idle
/// kept-alive connection too, and an oversized header is refused before any handler runs.
@Suite("HTTP server limits")
struct ServerLimitsTests {
    @Test func aRequestHeadThatDribblesInIsCutOffAtTheDeadline() async throws {
        try await TestApp.run(testing: .live, requestReadLimit: .seconds(1)) { app in
            let connection = try RawConnection(port: try #require(app.client.port))
            let started = ContinuousClock.now
            // 33 bytes, one every 400 ms: about 13 s for the head, far beyond the 1 s limit (and
            // beyond what a loaded machine adds to it).
            let head = "GET /health HTTP/1.1\r\nHost: x\r\n"
            var sent = 0
            for byte in head {
                guard connection.send(String(byte)) else { break }
                sent += 1
                try await Task.sleep(for: .milliseconds(400))
            }
            let (text, closed) = await connection.readUntilClosed()
            #expect(closed, "the connection was still open after \(ContinuousClock.now - started)")
            #expect(sent < head.count, "the server read the whole dribbled head (\(ContinuousClock.now - started)) without cutting off")
            #expect(!text.contains("200 OK"))
        }
    }

    @Test func aBodyThatDribblesInIsCutOffAtTheDeadlineToo() async throws {
        try await TestApp.run(testing: .live, requestReadLimit: .seconds(1)) { app in
            let connection = try RawConnection(port: try #require(app.client.port))
            let body = #"{"symbol":"AAPL","side":"buy","qty":"1","order_type":"market"}"#
            connection.send(
                "POST /api/trading/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
            )
            let started = ContinuousClock.now
            var sent = 0
            for byte in body {
                guard connection.send(String(byte)) else { break }
                sent += 1
                try await Task.sleep(for: .milliseconds(400))
            }
            let (_, closed) = await connection.readUntilClosed()
            #expect(closed, "the connection was still open after \(ContinuousClock.now - started)")
            #expect(sent < body.count, "the server read the whole dribbled body (\(ContinuousClock.now - started)) without cutting off")
        }
    }

    @Test func aWholeRequestIsAnsweredAndAnIdleConnectionClosedAfterIt() async throws {
        try await TestApp.run(testing: .live, requestReadLimit: .seconds(1)) { app in
            let connection = try RawConnection(port: try #require(app.client.port))
            connection.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            // Closed within readUntilClosed's 10 s: nothing else closes an idle kept-alive connection.
            let (text, closed) = await connection.readUntilClosed()
            #expect(text.hasPrefix("HTTP/1.1 200"), "\(text)")
            #expect(closed)
        }
    }

    @Test func anOversizedHeaderIsRefused() async throws {
        try await TestApp.run(testing: .live) { app in
            let connection = try RawConnection(port: try #require(app.client.port))
            let huge = String(repeating: "a", count: 16 * 1024)
            connection.send("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: \(huge)\r\n\r\n")
            let (text, closed) = await connection.readUntilClosed()
            #expect(text.hasPrefix("HTTP/1.1 431"), "\(text.prefix(200))")
            #expect(text.contains(#""code":"headers_too_large""#))
            #expect(closed)
        }
    }
}

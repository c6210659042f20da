import Foundation
import MBTServer
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
    /// A blocking TCP connection to the test server, with a receive timeout.
    final class RawConnection {
        let socket: Int32

        init(port: Int) throws {
            socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        deinit { close(socket) }

        /// False once the server has closed the connection.
        @discardableResult
        func send(_ text: String) -> Bool {
            Array(text.utf8).withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } > 0
        }

        /// What arrives until the server closes the connection (or 10 s pass), and whether it closed.
        func readUntilClosed() -> (text: String, closed: Bool) {
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
                if count == 0 { return (String(decoding: received, as: UTF8.self), true) }
                if count < 0 { return (String(decoding: received, as: UTF8.self), errno == ECONNRESET) }
                received += buffer[0..<count]
            }
        }
    }

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
            let (text, closed) = connection.readUntilClosed()
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
            let (_, closed) = connection.readUntilClosed()
            #expect(closed, "the connection was still open after \(ContinuousClock.now - started)")
            #expect(sent < body.count, "the server read the whole dribbled body (\(ContinuousClock.now - started)) without cutting off")
        }
    }

    @Test func aWholeRequestIsAnsweredAndAnIdleConnectionClosedAfterIt() async throws {
        try await TestApp.run(testing: .live, requestReadLimit: .seconds(1)) { app in
            let connection = try RawConnection(port: try #require(app.client.port))
            connection.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            // Closed within readUntilClosed's 10 s: nothing else closes an idle kept-alive connection.
            let (text, closed) = connection.readUntilClosed()
            #expect(text.hasPrefix("HTTP/1.1 200"), "\(text)")
            #expect(closed)
        }
    }

    @Test func anOversizedHeaderIsRefused() async throws {
        try await TestApp.run(testing: .live) { app in
            let connection = try RawConnection(port: try #require(app.client.port))
            let huge = String(repeating: "a", count: 16 * 1024)
            connection.send("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: \(huge)\r\n\r\n")
            let (text, closed) = connection.readUntilClosed()
            #expect(text.hasPrefix("HTTP/1.1 431"), "\(text.prefix(200))")
            #expect(text.contains(#""code":"headers_too_large""#))
            #expect(closed)
        }
    }
}

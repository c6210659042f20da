import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import MBTDomain
import MBTMarketData
import MBTServer
import MBTStorage
import MBTTestSupport
import MBTTrading
import Synchronization
import Testing

@Suite("Alpaca trade-updates stream at /stream")
struct AlpacaStreamTests {
    /// The text messages a client received, in order.
    final class Received: Sendable {
        private let texts = Mutex<[String]>([])

        func append(_ text: String) { texts.withLock { $0.append(text) } }

        var messages: [[String: Any]] {
            texts.withLock { $0 }.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
        }

        var events: [(String, String)] {
            messages.compactMap { message in
                guard message["stream"] as? String == "trade_updates", let data = message["data"] as? [String: Any],
                    let event = data["event"] as? String, let order = data["order"] as? [String: Any], let id = order["id"] as? String
                else { return nil }
                return (event, id)
            }
        }
    }

    @Test func anAuthenticatedListenerReceivesNewAndFillThenReplacedAndCanceled() async throws {
        try await TestApp.run(testing: .live) { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            // An order before the connection is not sent.
            _ = try await alice.order(AlpacaOrderTests.marketBuy)
            let received = Received()
            try await app.client.ws("/stream") { inbound, outbound, _ in
                var messages = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
                func next() async throws -> [String: Any] {
                    guard case .text(let text)? = try await messages.next() else { throw CancellationError() }
                    received.append(text)
                    return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
                }
                try await outbound.write(.text(#"{"action":"listen","data":{"streams":["trade_updates"]}}"#))
                #expect((try await next()["data"] as? [String: Any])?["status"] as? String == "unauthorized")
                try await outbound.write(
                    .text(#"{"action":"authenticate","data":{"key_id":"\#(alice.keyId)","secret_key":"\#(alice.secret)"}}"#))
                let authorized = try await next()
                #expect(authorized["stream"] as? String == "authorization")
                #expect((authorized["data"] as? [String: Any])?["status"] as? String == "authorized")
                try await outbound.write(.text(#"{"action":"listen","data":{"streams":["trade_updates"]}}"#))
                #expect((try await next()["data"] as? [String: Any])?["streams"] as? [String] == ["trade_updates"])

                let filled = try await alice.order(AlpacaOrderTests.marketBuy)
                let resting = try await alice.order(
                    #""symbol":"AAPL","qty":1,"side":"buy","type":"limit","limit_price":150,"time_in_force":"gtc""#)
                let restingId = try #require(resting["id"] as? String)
                let replacement = try await alice.object(.patch, "/v2/orders/\(restingId)", body: #"{"limit_price":"149"}"#)
                let replacementId = try #require(replacement["id"] as? String)
                #expect(try await alice.request(.delete, "/v2/orders/\(replacementId)").status == .noContent)
                let fillId = try #require(filled["id"] as? String)
                var fill: [String: Any]?
                while received.events.count < 6 {
                    let message = try await next()
                    if let data = message["data"] as? [String: Any], data["event"] as? String == "fill" { fill = data }
                }
                #expect(
                    received.events.map { "\($0.0) \($0.1)" } == [
                        "new \(fillId)", "fill \(fillId)", "new \(restingId)", "new \(replacementId)", "replaced \(restingId)",
                        "canceled \(replacementId)",
                    ])
                #expect(fill?["price"] as? String == "172.7" && fill?["qty"] as? String == "10")
                #expect(fill?["position_qty"] as? String == "20")
                #expect((fill?["order"] as? [String: Any])?["status"] as? String == "filled")
                #expect(UUID(uuidString: fill?["execution_id"] as? String ?? "") != nil)
                try await outbound.write(.text("not json"))
                #expect(try await next()["stream"] as? String == "error")
            }
        }
    }

    @Test func anOrderPlacedThroughAnotherServerReachesTheListener() async throws {
        try await TestApp.run(testing: .live) { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            // A second server on the same database, as another process would be: it shares nothing
            // with the first but the ledger.
            let gate = TradingGate(flags: TestApp.catalog, deployment: .development, environment: app.environment.processEnvironment)
            let marketData = MarketDataService(
                provider: ReplayMarket(recording: TestApp.recording, clock: FixedClock(TestApp.now)), clock: FixedClock(TestApp.now),
                accessLog: AccessLogBuffer(recorder: MarketDataAccessLogStore(database: app.database), logger: TestDatabase.logger))
            let other = Application(
                router: buildRouter(
                    AppDependencies(database: app.database, gate: gate, marketData: marketData, logger: TestDatabase.logger)))
            let received = Received()
            try await app.client.ws("/stream") { inbound, outbound, _ in
                var messages = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
                try await outbound.write(
                    .text(#"{"action":"authenticate","data":{"key_id":"\#(alice.keyId)","secret_key":"\#(alice.secret)"}}"#))
                try await outbound.write(.text(#"{"action":"listen","data":{"streams":["trade_updates"]}}"#))
                for _ in 0..<2 { _ = try await messages.next() }
                let orderId = Mutex<String?>(nil)
                try await other.test(.router) { client in
                    let response = try await client.execute(
                        uri: "/v2/orders", method: .post,
                        headers: [
                            AlpacaCaller.keyIdHeader: alice.keyId, AlpacaCaller.secretHeader: alice.secret,
                            .contentType: "application/json",
                        ],
                        body: ByteBuffer(string: "{\(AlpacaOrderTests.marketBuy)}"))
                    #expect(response.status == .ok)
                    let id = try response.json()["id"] as? String
                    orderId.withLock { $0 = id }
                }
                while received.events.count < 2 {
                    guard case .text(let text)? = try await messages.next() else { break }
                    received.append(text)
                }
                #expect(received.events.map(\.0) == ["new", "fill"])
                let placed = orderId.withLock { $0 }
                #expect(placed != nil && received.events.allSatisfy { $0.1 == placed })
            }
        }
    }

    @Test func aWrongSecretIsRefusedAndTheConnectionEnds() async throws {
        try await TestApp.run(testing: .live) { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let received = Received()
            try await app.client.ws("/stream") { inbound, outbound, _ in
                try await outbound.write(
                    .text(#"{"action":"authenticate","data":{"key_id":"\#(alice.keyId)","secret_key":"wrong"}}"#))
                for try await message in inbound.messages(maxSize: 1 << 16) {
                    if case .text(let text) = message { received.append(text) }
                }
            }
            let messages = received.messages
            #expect(messages.count == 1)
            #expect((messages.first?["data"] as? [String: Any])?["status"] as? String == "unauthorized")
        }
    }
}

import Foundation
import HummingbirdWebSocket
import Logging
import MBTDomain
import MBTStorage
import NIOCore

/// Alpaca's trade-updates stream at `/stream` (docs/alpaca-api.md, "Trade updates"): the client
/// authenticates (`{"action":"authenticate","data":{"key_id","secret_key"}}`, or `oauth_token`
/// with an MBT bearer token), listens to `trade_updates`, and receives `new`, `fill`, `canceled`,
/// `expired`, `replaced` and `rejected` events with the order in Alpaca's shape. The events come
/// from the ledger's own record of what it committed (``OrderEventStore``), read by id, so an
/// order placed through any server process reaches a client connected to any other. Events start
/// with the first committed after the client authenticated.
struct AlpacaTradeStream: Sendable {
    let keys: APIKeyStore
    let users: UserStore
    let events: OrderEventStore
    let orders: OrderStore
    let positions: PositionStore
    var pollInterval: Duration = .milliseconds(200)

    static let maximumMessageSize = 64 * 1024
    static let batchSize = 500
    /// How far back each read looks for events that committed after a later id was seen (ids are
    /// drawn before commit, so concurrent transactions can commit out of order).
    static let lookBack: Int64 = 1_000

    /// What the connection has agreed so far, and which events it was sent.
    actor Session {
        private(set) var user: User?
        private var listening = false
        /// Events up to this id predate the authentication: never sent.
        private var floor: Int64 = 0
        /// The highest event id sent.
        private var watermark: Int64 = 0
        private var sent: Set<Int64> = []

        func authenticate(_ user: User, after latest: Int64) {
            self.user = user
            floor = latest
            watermark = latest
        }

        func listen(_ flag: Bool) { listening = flag }

        /// The user and the id to read after, when the client is authenticated and listening.
        func reading() -> (User, Int64)? {
            guard let user, listening else { return nil }
            return (user, max(watermark - AlpacaTradeStream.lookBack, floor))
        }

        /// Whether the event is new to this connection (and marks it sent).
        func isNew(_ event: OrderEventStore.Event) -> Bool {
            guard event.id > floor, !sent.contains(event.id) else { return false }
            sent.insert(event.id)
            watermark = max(watermark, event.id)
            sent = sent.filter { $0 > watermark - AlpacaTradeStream.lookBack }
            return true
        }
    }

    func handle(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter, logger: Logger) async throws {
        let session = Session()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for try await message in inbound.messages(maxSize: Self.maximumMessageSize) {
                    let text: String
                    switch message {
                    case .text(let string): text = string
                    case .binary(let buffer): text = String(buffer: buffer)
                    }
                    guard try await respond(to: text, session: session, outbound: outbound) else { break }
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: pollInterval)
                    try await publish(session: session, outbound: outbound)
                }
            }
            _ = try await group.next()
            group.cancelAll()
        }
    }

    /// Answers one client message; `false` ends the connection (a failed authentication).
    func respond(to text: String, session: Session, outbound: WebSocketOutboundWriter) async throws -> Bool {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any],
            let action = object["action"] as? String
        else {
            try await send(
                ["stream": .string("error"), "data": .object(["error_message": .string("message must be a JSON object with an action")])],
                outbound)
            return true
        }
        let data = object["data"] as? [String: Any] ?? [:]
        switch action {
        case "authenticate", "auth":
            let user = try await authenticate(data.isEmpty ? object : data)
            let status = user == nil ? "unauthorized" : "authorized"
            try await send(
                ["stream": .string("authorization"), "data": .object(["action": .string("authenticate"), "status": .string(status)])],
                outbound)
            // An unauthorized client is told so, then the connection ends (the handler returns).
            guard let user else { return false }
            let latest = try await events.latestId(userId: user.id)
            await session.authenticate(user, after: latest)
            return true
        case "listen":
            guard await session.user != nil else {
                try await send(
                    [
                        "stream": .string("authorization"),
                        "data": .object(["action": .string("listen"), "status": .string("unauthorized")]),
                    ], outbound)
                return true
            }
            let streams = (data["streams"] as? [String] ?? []).filter { $0 == "trade_updates" }
            await session.listen(!streams.isEmpty)
            try await send(
                ["stream": .string("listening"), "data": .object(["streams": .array(streams.map(AlpacaValue.string))])], outbound)
            return true
        default:
            try await send(
                [
                    "stream": .string("error"),
                    "data": .object(["error_message": .string("unknown action \(action.prefix(30)); use authenticate or listen")]),
                ], outbound)
            return true
        }
    }

    /// A key pair (`key_id` + `secret_key`, or `key` + `secret`) or an MBT token (`oauth_token`).
    func authenticate(_ data: [String: Any]) async throws -> User? {
        if let token = data["oauth_token"] as? String { return try await users.user(forToken: token) }
        guard let keyId = (data["key_id"] ?? data["key"]) as? String, let secret = (data["secret_key"] ?? data["secret"]) as? String else {
            return nil
        }
        return try await keys.user(keyId: keyId, secret: secret)
    }

    /// Sends every event committed since the last one sent.
    func publish(session: Session, outbound: WebSocketOutboundWriter) async throws {
        guard let (user, from) = await session.reading() else { return }
        var after = from
        while true {
            let batch = try await events.events(userId: user.id, after: after, limit: Self.batchSize)
            for event in batch { try await deliver(event, user: user, session: session, outbound: outbound) }
            // A full batch may have more behind it (events already sent are read again within the look-back).
            guard batch.count == Self.batchSize, let last = batch.last else { return }
            after = last.id
        }
    }

    /// Sends one event unless this connection had it already or Alpaca has no name for it.
    func deliver(_ event: OrderEventStore.Event, user: User, session: Session, outbound: WebSocketOutboundWriter) async throws {
        guard await session.isNew(event), let name = Self.eventName(event) else { return }
        guard let order = try await orders.order(id: event.orderId, userId: user.id), order.parentOrderId == nil else { return }
        let legs = order.assetClass == .option ? try await orders.legs(of: [order.id])[order.id] : nil
        let closedAt = ["canceled", "expired", "replaced"].contains(name) ? event.occurredAt : nil
        var data: [String: AlpacaValue] = [
            "event": .string(name),
            "execution_id": .string(AlpacaIdentifier.text(AlpacaIdentifier.uuid(.execution, event.id))),
            "order": AlpacaOrderBody.body(order, legs: legs, closedAt: closedAt),
            "timestamp": .time(event.occurredAt),
        ]
        if name == "fill", let price = event.after["fill_price"].flatMap(Decimal6.init) {
            data["price"] = .decimal(price)
            data["qty"] = .decimal(order.quantity)
            // The position in the symbol as it stands when the event is sent (signed; 0 when flat).
            let held = try await positions.openPositions(userId: user.id).first { $0.symbol == order.symbol }
            data["position_qty"] = .decimal(held?.signedQuantity ?? .zero)
        }
        try await send(["stream": .string("trade_updates"), "data": .object(data)], outbound)
    }

    /// Alpaca's event for a ledger event; `nil` for one it has no name for.
    static func eventName(_ event: OrderEventStore.Event) -> String? {
        switch event.action {
        case "order_submitted": event.after["status"] == OrderStatus.rejected.rawValue ? "rejected" : "new"
        case "order_filled": "fill"
        case "order_canceled": "canceled"
        case "order_expired": "expired"
        case "order_replaced": "replaced"
        default: nil
        }
    }

    private func send(_ fields: [String: AlpacaValue], _ outbound: WebSocketOutboundWriter) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try await outbound.write(.text(String(decoding: try encoder.encode(AlpacaValue.object(fields)), as: UTF8.self)))
    }
}

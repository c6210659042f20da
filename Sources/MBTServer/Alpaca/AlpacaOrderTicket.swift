import Foundation
import MBTDomain

/// The body of `POST /v2/orders` read into MBT's tickets (docs/alpaca-api.md, "POST /v2/orders").
/// What MBT does not trade yet (stop and trailing orders, brackets, `notional`, `fok`/`opg`/`cls`,
/// extended hours) is refused with a 422 that says so, never silently dropped.
enum AlpacaOrderTicket {
    enum Ticket {
        case simple(OrderRequest)
        case mleg(ComboTicket, clientOrderId: String?)
    }

    static let maximumClientOrderIdLength = 48
    static let orderTypes = ["market", "limit", "stop", "stop_limit", "trailing_stop"]
    static let timesInForce = ["day", "gtc", "ioc", "fok", "opg", "cls"]
    static let unsupportedFields = ["stop_price", "trail_price", "trail_percent", "take_profit", "stop_loss"]

    static func read(_ body: AlpacaFields) throws -> Ticket {
        let orderClass =
            try body.choice("order_class", ["simple", "mleg", "bracket", "oco", "oto"]) ?? (body.has("legs") ? "mleg" : "simple")
        guard orderClass == "simple" || orderClass == "mleg" else {
            throw AlpacaError.validation("order_class \(orderClass) is not supported; MBT accepts simple and mleg orders")
        }
        if let field = unsupportedFields.first(where: body.has) {
            throw AlpacaError.validation("\(field) is not supported: MBT trades market and limit orders only")
        }
        if body.has("notional") {
            throw AlpacaError.validation("notional orders are not supported: MBT has no fractional-dollar orders yet; send qty instead")
        }
        if try body.bool("extended_hours") == true {
            throw AlpacaError.validation("extended_hours orders are not supported: MBT trades the regular session only")
        }
        let type = try orderType(body)
        let timeInForce = try timeInForce(body)
        let quantity = try body.required("qty", body.decimal)
        let limitPrice = try body.decimal("limit_price")
        let clientOrderId = try self.clientOrderId(body)
        if orderClass == "mleg" {
            if let field = ["symbol", "side"].first(where: body.has) {
                throw AlpacaError.validation("\(field) belongs to each of legs, not to an mleg order")
            }
            let legs = try body.required("legs") { try body.objects($0) }
            let ticket = ComboTicket(
                legs: try legs.map(leg), qty: quantity, orderType: type, timeInForce: timeInForce, limitPrice: limitPrice)
            return .mleg(ticket, clientOrderId: clientOrderId)
        }
        if body.has("legs") { throw AlpacaError.validation("legs need order_class mleg") }
        let (side, _) = try sideAndIntent(body)
        return .simple(
            OrderRequest(
                symbol: try body.required("symbol", body.string).uppercased(), side: side, quantity: quantity, type: type,
                limitPrice: limitPrice, timeInForce: timeInForce, clientOrderId: clientOrderId))
    }

    static func leg(_ leg: AlpacaFields) throws -> ComboLeg {
        let ratio = try leg.decimal("ratio_qty") ?? .one
        guard ratio.isPositive, ratio.micros % Decimal6.microsPerUnit == 0, ratio.wholePart <= 10_000 else {
            throw AlpacaError.validation("ratio_qty must be a whole number from 1 to 10000")
        }
        let (side, intent) = try sideAndIntent(leg)
        return ComboLeg(
            symbol: try leg.required("symbol", leg.string).uppercased(), side: side, ratioQty: Int(ratio.wholePart),
            positionIntent: intent ?? (side == .buy ? .buyToOpen : .sellToOpen))
    }

    /// `side`, `position_intent` or both (alpaca-py requires one of them); a pair that contradicts
    /// itself is refused rather than guessed at.
    static func sideAndIntent(_ body: AlpacaFields) throws -> (OrderSide, PositionIntent?) {
        let side = try body.choice("side", ["buy", "sell"]).flatMap(OrderSide.init(rawValue:))
        let intent = try body.choice("position_intent", PositionIntent.allCases.map(\.rawValue)).flatMap(PositionIntent.init(rawValue:))
        switch (side, intent) {
        case (nil, nil): throw AlpacaError.validation("\(body.prefix)side is required (buy or sell)")
        case (let side?, nil): return (side, nil)
        case (nil, let intent?): return (intent.side, intent)
        case (let side?, let intent?):
            guard intent.side == side else {
                throw AlpacaError.validation("\(body.prefix)position_intent \(intent.rawValue) contradicts side \(side.rawValue)")
            }
            return (side, intent)
        }
    }

    static func orderType(_ body: AlpacaFields) throws -> OrderType {
        let text = try body.required("type") { try body.choice($0, orderTypes) }
        guard let type = OrderType(rawValue: text) else {
            throw AlpacaError.validation("type \(text) is not supported: MBT trades market and limit orders only")
        }
        return type
    }

    static func timeInForce(_ body: AlpacaFields) throws -> TimeInForce {
        let text = try body.required("time_in_force") { try body.choice($0, timesInForce) }
        guard let timeInForce = TimeInForce(rawValue: text) else {
            throw AlpacaError.validation("time_in_force \(text) is not supported yet; use day, gtc or ioc")
        }
        return timeInForce
    }

    static func clientOrderId(_ body: AlpacaFields) throws -> String? {
        guard let id = try body.string("client_order_id") else { return nil }
        guard id.count <= maximumClientOrderIdLength else {
            throw AlpacaError.validation("client_order_id must be at most \(maximumClientOrderIdLength) characters")
        }
        return id
    }

    /// The body of `PATCH /v2/orders/{id}`: what a replace may change.
    static func replacement(_ body: AlpacaFields) throws -> (quantity: Decimal6?, limitPrice: Decimal6?, timeInForce: TimeInForce?) {
        if let field = ["stop_price", "trail"].first(where: body.has) {
            throw AlpacaError.validation("\(field) is not supported: MBT trades market and limit orders only")
        }
        if body.has("client_order_id") {
            throw AlpacaError.validation("client_order_id cannot be set by a replace in MBT; the new order gets its own id")
        }
        let changes = (
            quantity: try body.decimal("qty"), limitPrice: try body.decimal("limit_price"),
            timeInForce: body.has("time_in_force") ? try timeInForce(body) : nil
        )
        guard changes.quantity != nil || changes.limitPrice != nil || changes.timeInForce != nil else {
            throw AlpacaError.validation("nothing to change; send qty, limit_price or time_in_force")
        }
        return changes
    }
}

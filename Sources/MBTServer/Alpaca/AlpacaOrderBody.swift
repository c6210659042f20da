import Foundation
import MBTDomain
import MBTStorage

/// An MBT order in Alpaca's Order shape (docs/alpaca-api.md, "Orders"): decimal strings, RFC 3339
/// times, the order's derived UUID. A multi-leg parent is `order_class: "mleg"` with an empty
/// symbol, side and asset class, its legs under `legs`, each a full order.
enum AlpacaOrderBody {
    typealias Legs = [(leg: OrderLeg, order: PaperOrder)]

    static let calendar = NYSECalendar()

    /// When the order's time in force runs out, by the rule the bar loop expires orders with
    /// (docs/fill-rules.md): a DAY order at its session's close, GTC 90 days on at 16:15 New York
    /// time; `nil` for IOC.
    static func expiresAt(_ order: PaperOrder) -> Date? {
        RestingOrder(order).flatMap { FillEngine.scheduledExpiry(of: $0, calendar: calendar)?.at }
    }

    /// `closedAt`: when the ledger closed the order unfilled (canceled, expired or replaced), from
    /// its order events; `nil` when it did not (or that is not known).
    static func body(_ order: PaperOrder, legs: Legs? = nil, leg: OrderLeg? = nil, closedAt: Date? = nil) -> AlpacaValue {
        let isCombo = legs?.isEmpty == false
        let status = AlpacaOrderStatus(order)
        let id = AlpacaIdentifier.uuid(.order, order.id)
        let filled = order.status == .filled
        let updatedAt = order.filledAt ?? closedAt ?? order.submittedAt
        let assetClass: String = isCombo ? "" : (order.assetClass == .option ? "us_option" : "us_equity")
        var fields: [String: AlpacaValue] = [
            "id": .string(AlpacaIdentifier.text(id)),
            "client_order_id": .string(order.clientOrderId ?? AlpacaIdentifier.text(id)),
            "created_at": .time(order.submittedAt),
            "updated_at": .time(updatedAt),
            "submitted_at": .time(order.submittedAt),
            "filled_at": .time(order.filledAt),
            "expired_at": .time(status == .expired ? updatedAt : nil),
            "expires_at": .time(expiresAt(order)),
            "canceled_at": .time(status == .canceled ? closedAt : nil),
            "failed_at": .time(status == .rejected ? order.submittedAt : nil),
            "replaced_at": .time(status == .replaced ? closedAt : nil),
            "replaced_by": .string(order.replacedByOrderId.map { AlpacaIdentifier.text(AlpacaIdentifier.uuid(.order, $0)) }),
            "replaces": .string(order.replacesOrderId.map { AlpacaIdentifier.text(AlpacaIdentifier.uuid(.order, $0)) }),
            "asset_id": isCombo ? .string("") : .string(AlpacaIdentifier.text(AlpacaIdentifier.asset(order.symbol))),
            "symbol": .string(isCombo ? "" : order.symbol),
            "asset_class": .string(assetClass),
            "notional": .null,
            "qty": .decimal(order.quantity),
            "filled_qty": .decimal(filled ? order.quantity : .zero),
            "filled_avg_price": .decimal(filled ? order.fillPrice : nil),
            "order_class": .string(isCombo ? "mleg" : "simple"),
            "order_type": .string(order.type.rawValue),
            "type": .string(order.type.rawValue),
            "side": .string(isCombo ? "" : order.side.rawValue),
            "position_intent": .string(leg?.positionIntent.rawValue),
            "time_in_force": .string(order.timeInForce.rawValue),
            "limit_price": .decimal(order.limitPrice),
            "stop_price": .null,
            "status": .string(status.rawValue),
            "extended_hours": .bool(false),
            "legs": legs.flatMap { $0.isEmpty ? nil : AlpacaValue.array($0.map { body($0.order, leg: $0.leg) }) } ?? .null,
            "trail_percent": .null,
            "trail_price": .null,
            "hwm": .null,
            "ratio_qty": leg.map { .string("\($0.ratioQty)") } ?? .null,
            "subtag": .null,
            "source": .null,
        ]
        if order.status == .rejected, let reason = order.rejectReason { fields["reject_reason"] = .string(reason) }
        return .object(fields)
    }
}

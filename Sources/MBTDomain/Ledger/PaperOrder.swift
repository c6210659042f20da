import Foundation

/// An order as the ledger records it (`paper_orders`): what was asked, and what became of it.
public struct PaperOrder: Sendable, Hashable {
    public let id: Int64
    public let userId: Int64
    public let symbol: String
    public let assetClass: AssetClass
    public let side: OrderSide
    public let quantity: Decimal6
    public let type: OrderType
    public let timeInForce: TimeInForce
    public let limitPrice: Decimal6?
    public let status: OrderStatus
    public let submittedAt: Date
    public let filledAt: Date?
    public let fillPrice: Decimal6?
    public let slippageBasis: Decimal6?
    public let rejectReason: String?
    public let clientOrderId: String?
    /// The order this one replaced (`PATCH /orders/{id}`), if it is a replacement.
    public let replacesOrderId: Int64?
    /// The order that replaced this one; set when a replace canceled it.
    public let replacedByOrderId: Int64?
    /// The multi-leg order this one is a leg of.
    public let parentOrderId: Int64?
    /// The strategy the order belongs to (its lot method applies to the order's closing fills).
    public let strategyId: Int64?
    /// `mleg` for a multi-leg parent and its legs.
    public let orderClass: OrderClass
    /// What a resting multi-leg parent holds back from buying power: its structure's maximum loss
    /// at its net limit, fixed when it was placed. `nil` on every other order.
    public let reservedBuyingPower: Decimal6?

    public init(
        id: Int64, userId: Int64, symbol: String, assetClass: AssetClass, side: OrderSide, quantity: Decimal6, type: OrderType,
        timeInForce: TimeInForce, limitPrice: Decimal6?, status: OrderStatus, submittedAt: Date, filledAt: Date?,
        fillPrice: Decimal6?, slippageBasis: Decimal6?, rejectReason: String?, clientOrderId: String?,
        replacesOrderId: Int64? = nil, replacedByOrderId: Int64? = nil, parentOrderId: Int64? = nil, strategyId: Int64? = nil,
        orderClass: OrderClass = .simple, reservedBuyingPower: Decimal6? = nil
    ) {
        self.id = id
        self.userId = userId
        self.symbol = symbol
        self.assetClass = assetClass
        self.side = side
        self.quantity = quantity
        self.type = type
        self.timeInForce = timeInForce
        self.limitPrice = limitPrice
        self.status = status
        self.submittedAt = submittedAt
        self.filledAt = filledAt
        self.fillPrice = fillPrice
        self.slippageBasis = slippageBasis
        self.rejectReason = rejectReason
        self.clientOrderId = clientOrderId
        self.replacesOrderId = replacesOrderId
        self.replacedByOrderId = replacedByOrderId
        self.parentOrderId = parentOrderId
        self.strategyId = strategyId
        self.orderClass = orderClass
        self.reservedBuyingPower = reservedBuyingPower
    }

    /// A multi-leg order's parent (its legs carry `parentOrderId`).
    public var isComboParent: Bool { orderClass == .mleg && parentOrderId == nil }
}

import Foundation
import Hummingbird
import MBTDomain
import MBTStorage
import MBTTrading

/// An order as the API shows it; field names are the record's column names.
struct OrderBody: ResponseEncodable {
    let id: Int64
    let symbol: String
    let assetClass: AssetClass
    let side: OrderSide
    let qty: Decimal6
    let orderType: OrderType
    let orderClass: OrderClass
    let timeInForce: TimeInForce
    let limitPrice: Decimal6?
    /// What a resting multi-leg order holds back from buying power.
    let reservedBuyingPower: Decimal6?
    let status: OrderStatus
    let submittedAt: Date
    let filledAt: Date?
    let fillPrice: Decimal6?
    let slippageBasis: Decimal6?
    let rejectReason: String?
    let clientOrderId: String?
    /// The order this one replaced, and the order that replaced this one (`PATCH`).
    let replacesOrderId: Int64?
    let replacedByOrderId: Int64?
    /// A multi-leg order's legs, in ticket order; absent for a single order.
    let legs: [LegBody]?
    let strategyId: Int64?

    init(_ order: PaperOrder, legs: [(leg: OrderLeg, order: PaperOrder)]? = nil) {
        self.legs = legs.map { $0.map(LegBody.init) }
        strategyId = order.strategyId
        id = order.id
        symbol = order.symbol
        assetClass = order.assetClass
        side = order.side
        qty = order.quantity
        orderType = order.type
        orderClass = order.orderClass
        timeInForce = order.timeInForce
        limitPrice = order.limitPrice
        reservedBuyingPower = order.status.isOpen ? order.reservedBuyingPower : nil
        status = order.status
        submittedAt = order.submittedAt
        filledAt = order.filledAt
        fillPrice = order.fillPrice
        slippageBasis = order.slippageBasis
        rejectReason = order.rejectReason
        clientOrderId = order.clientOrderId
        replacesOrderId = order.replacesOrderId
        replacedByOrderId = order.replacedByOrderId
    }
}

/// One leg of a multi-leg order: its own order (id, status, fill) and what the ticket said of it.
struct LegBody: Encodable {
    let id: Int64
    let symbol: String
    let assetClass: AssetClass
    let side: OrderSide
    let ratioQty: Int64
    let positionIntent: PositionIntent
    let qty: Decimal6
    let status: OrderStatus
    let filledAt: Date?
    let fillPrice: Decimal6?

    init(_ leg: (leg: OrderLeg, order: PaperOrder)) {
        id = leg.order.id
        symbol = leg.order.symbol
        assetClass = leg.order.assetClass
        side = leg.order.side
        ratioQty = leg.leg.ratioQty
        positionIntent = leg.leg.positionIntent
        qty = leg.order.quantity
        status = leg.order.status
        filledAt = leg.order.filledAt
        fillPrice = leg.order.fillPrice
    }
}

struct OrderPage: ResponseEncodable {
    let orders: [OrderBody]
    /// Pass as `before` for the next (older) page; `null` on the last page.
    let nextCursor: String?
}

struct PositionsBody: ResponseEncodable {
    let positions: [PositionBody]
}

/// A position marked to the latest quote mid (cost when no quote is at hand).
struct PositionBody: Encodable {
    let symbol: String
    let assetClass: AssetClass
    let side: PositionSide
    let qty: Decimal6
    let avgCost: Decimal6
    let currentPrice: Decimal6?
    let marketValue: Decimal6
    let unrealizedPl: Decimal6
    let openedAt: Date

    init(_ marked: PortfolioValuer.MarkedPosition) {
        symbol = marked.position.symbol
        assetClass = marked.position.assetClass
        side = marked.position.side
        qty = marked.position.quantity
        avgCost = marked.position.averageCost
        currentPrice = marked.mark
        marketValue = marked.marketValue
        unrealizedPl = marked.unrealizedPnL
        openedAt = marked.position.openedAt
    }
}

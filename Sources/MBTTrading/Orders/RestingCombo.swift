import Foundation
import MBTDomain
import MBTStorage

/// A stored open multi-leg order: its parent, its legs in ticket order, and the ticket they make,
/// validated again so the rules that judged it at submission judge it while it rests.
struct RestingCombo: Sendable {
    let parent: PaperOrder
    let legs: [PaperOrder]
    let combo: ValidatedCombo

    /// `nil` when the stored legs no longer make a valid ticket (never for rows MBT wrote).
    init?(parent: PaperOrder, legs: [(leg: OrderLeg, order: PaperOrder)], limits: OrderLimits) {
        guard !legs.isEmpty else { return nil }
        let ticket = ComboTicket(
            legs: legs.map {
                ComboLeg(symbol: $0.leg.symbol, side: $0.leg.side, ratioQty: Int($0.leg.ratioQty), positionIntent: $0.leg.positionIntent)
            },
            qty: parent.quantity, orderType: parent.type, timeInForce: parent.timeInForce, limitPrice: parent.limitPrice)
        guard case .success(let combo) = ComboValidator.validate(ticket, limits: limits) else { return nil }
        self.parent = parent
        self.legs = legs.map(\.order)
        self.combo = combo
    }

    /// Every order id of the combo, parent first.
    var orderIds: [Int64] { [parent.id] + legs.map(\.id) }

    /// The leg contracts' expiries: a combo cannot outlive its first one.
    var firstLegExpiry: MarketDate? { combo.legs.compactMap(\.contract?.expiry).min() }
}

/// How a combo's legs fill: each at its price, the combo's quantity times its ratio.
enum ComboLegFills {
    static func fills(_ combo: ValidatedCombo, prices: [Decimal6], quotes: [String: Quote], rule: FillRule, at instant: Date) -> [Fill] {
        zip(combo.legs, prices).map { leg, price in
            let quote = quotes[leg.symbol]
            return Fill(
                symbol: leg.symbol, side: leg.side, price: price, quantity: Decimal6(Int(leg.ratio * combo.qty)),
                multiplier: leg.contract == nil ? 1 : OptionSymbol.contractMultiplier, rule: rule, priceSource: .mid,
                nbboBid: quote?.bid, nbboAsk: quote?.ask, slippageBasis: nil, pricedAt: instant)
        }
    }
}

import Foundation
import MBTDomain
import MBTTrading

/// A marked position in Alpaca's Position shape (docs/alpaca-api.md, "Positions"): a short has a
/// negative `qty` and `market_value`; an option's value counts 100 shares per contract. The
/// exchange is `""` (MBT does not track listing venues, and `""` is a value Alpaca's clients accept).
enum AlpacaPositionBody {
    static func body(_ marked: PortfolioValuer.MarkedPosition, heldForOrders: Decimal6) -> AlpacaValue {
        let position = marked.position
        let sign: Decimal6 = position.side == .long ? 1 : -1
        let qty = (try? position.quantity.multiplied(by: sign)) ?? position.quantity
        let available = max(position.quantity - heldForOrders, .zero)
        let plpc: Decimal6? =
            marked.costBasis.isZero ? nil : try? marked.unrealizedPnL.divided(by: marked.costBasis.magnitude)
        return .object([
            "asset_id": .string(AlpacaIdentifier.text(AlpacaIdentifier.asset(position.symbol))),
            "symbol": .string(position.symbol),
            "exchange": .string(""),
            "asset_class": .string(position.assetClass == .option ? "us_option" : "us_equity"),
            "asset_marginable": .bool(false),
            "avg_entry_price": .decimal(position.averageCost),
            "qty": .decimal(qty),
            "qty_available": .decimal((try? available.multiplied(by: sign)) ?? available),
            "side": .string(position.side == .long ? "long" : "short"),
            "market_value": .decimal(marked.marketValue),
            "cost_basis": .decimal(marked.costBasis),
            "unrealized_pl": .decimal(marked.unrealizedPnL),
            "unrealized_plpc": .decimal(plpc),
            "unrealized_intraday_pl": .null,
            "unrealized_intraday_plpc": .null,
            "current_price": .decimal(marked.mark ?? position.averageCost),
            "lastday_price": .null,
            "change_today": .null,
        ])
    }
}

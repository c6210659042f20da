import Foundation
import MBTDomain
import MBTStorage
import MBTTrading

/// The portfolio's rows (docs/web-app.md): positions grouped under their underlying (its stock
/// first), and a multi-leg order the account still holds whole shown as one row with its legs
/// under it. "Whole" means each leg's position is exactly the leg's filled quantity on the leg's
/// side, so the structure's figures are its positions' own and no position is split between rows.
enum PortfolioStructures {
    /// A held multi-leg order: its parent, a name for people, and its legs' positions.
    struct Structure {
        let parent: PaperOrder
        let name: String
        let legs: [PortfolioValuer.MarkedPosition]
    }

    /// One underlying's rows: its stock, its structures, its other options.
    struct Group {
        let underlying: String
        var stock: [PortfolioValuer.MarkedPosition] = []
        var structures: [Structure] = []
        var options: [PortfolioValuer.MarkedPosition] = []
    }

    /// Groups `positions` by underlying, taking out the structures of `orders` (filled multi-leg
    /// parents with their legs, newest first) whose legs are held whole.
    static func groups(
        _ positions: [PortfolioValuer.MarkedPosition], orders: [(parent: PaperOrder, legs: [(leg: OrderLeg, order: PaperOrder)])],
        names: [Int64: String]
    ) -> [Group] {
        var free = Dictionary(positions.map { ($0.position.symbol, $0) }) { first, _ in first }
        var structures: [Structure] = []
        for (parent, recorded) in orders where !recorded.isEmpty && Set(recorded.map(\.order.symbol)).count == recorded.count {
            let legs = recorded.map(\.order)
            let held = legs.compactMap { leg -> PortfolioValuer.MarkedPosition? in
                guard let marked = free[leg.symbol], marked.position.quantity == leg.quantity,
                    marked.position.side == (leg.side == .buy ? .long : .short)
                else { return nil }
                return marked
            }
            guard held.count == legs.count else { continue }
            for leg in legs { free[leg.symbol] = nil }
            let name =
                parent.strategyId.flatMap { names[$0] } ?? StructureName.of(parent, legs: recorded.map(\.leg))
                ?? "Multi-leg order \(parent.id)"
            structures.append(Structure(parent: parent, name: name, legs: held))
        }
        var groups: [String: Group] = [:]
        for marked in free.values {
            let underlying = Self.underlying(of: marked.position.symbol)
            if marked.position.assetClass == .option {
                groups[underlying, default: Group(underlying: underlying)].options.append(marked)
            } else {
                groups[underlying, default: Group(underlying: underlying)].stock.append(marked)
            }
        }
        for structure in structures {
            let underlying = Self.underlying(of: structure.legs.first?.position.symbol ?? structure.parent.symbol)
            groups[underlying, default: Group(underlying: underlying)].structures.append(structure)
        }
        return groups.values.sorted { $0.underlying < $1.underlying }.map { group in
            var group = group
            group.options.sort { $0.position.symbol < $1.position.symbol }
            group.structures.sort { $0.parent.id < $1.parent.id }
            return group
        }
    }

    /// An option's root, or the symbol itself.
    static func underlying(of symbol: String) -> String {
        OptionSymbol.isOptionSymbol(symbol) ? (try? OptionSymbol(parsing: symbol))?.root ?? symbol : symbol
    }
}

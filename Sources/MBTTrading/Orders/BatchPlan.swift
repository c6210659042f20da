import Foundation
import MBTDomain
import MBTStorage

/// What one transaction of the bar loop will write, decided in memory account by account: the
/// fills (after buying power), the orders to close, each account's cash change, and how the
/// positions move, fill by fill, exactly as the one-order path moves them.
struct BatchPlan {
    struct Close {
        let order: PaperOrder
        let status: OrderStatus
        let reason: String
    }

    /// An account as the plan tracks it: its cash and, per symbol, the open position and where it
    /// lives (an existing row, or a row the plan opens).
    struct Account {
        let userId: Int64
        var cash: Decimal6
        var positions: [String: Tracked] = [:]

        init(userId: Int64, cash: Decimal6, rows: [LedgerBatchStore.PositionRow]) {
            self.userId = userId
            self.cash = cash
            for row in rows { positions[row.position.symbol] = Tracked(position: row.position, place: .row(row.id)) }
        }
    }

    struct Tracked {
        enum Place {
            case row(Int64)
            case opened(Int)
        }

        var position: Position
        var place: Place
    }

    /// A position change, with the index in `fills` of the fill that made it.
    private var updated: [Int64: (position: Position, fill: Int)] = [:]
    private var closedRows: [(id: Int64, at: Date, fill: Int)] = []
    private var opened: [(userId: Int64, position: Position, fill: Int, closedAt: Date?)] = []

    private(set) var fills: [LedgerBatchStore.FillRow] = []
    private(set) var closes: [Close] = []
    var cashChanges: [Int64: Decimal6] = [:]

    mutating func add(_ order: PaperOrder, _ decision: FillDecision, account: inout Account, checkingBuyingPower: Bool = true) throws {
        switch decision {
        case .fill(let fill):
            if checkingBuyingPower, let refusal = Self.refusal(of: fill, order: order, account: account) {
                closes.append(Close(order: order, status: .canceled, reason: refusal))
            } else {
                try record(fill, of: order, account: &account)
            }
        case .expire(let reason): closes.append(Close(order: order, status: .expired, reason: reason.description))
        case .cancel(let reason): closes.append(Close(order: order, status: .canceled, reason: reason.description))
        case .reject(let rejection): closes.append(Close(order: order, status: .canceled, reason: rejection.message))
        case .rest: break
        }
    }

    /// Records the fill at the instant it was priced (a bar's start; never before the order was
    /// submitted) and moves the account's cash and position.
    private mutating func record(_ fill: Fill, of order: PaperOrder, account: inout Account) throws {
        let at = max(fill.pricedAt, order.submittedAt)
        let index = fills.count
        fills.append(LedgerBatchStore.FillRow(order: order, fill: fill, at: at))
        let current = account.positions[fill.symbol]
        let outcome = try PositionMath.apply(fill, to: current?.position, assetClass: order.assetClass, at: at)
        account.cash += outcome.cashChange
        if let current, let next = outcome.position, next.side == current.position.side, next.openedAt == current.position.openedAt {
            switch current.place {
            case .row(let id): updated[id] = (next, index)
            case .opened(let slot): (opened[slot].position, opened[slot].fill) = (next, index)
            }
            account.positions[fill.symbol] = Tracked(position: next, place: current.place)
            return
        }
        if let current {
            switch current.place {
            case .row(let id):
                updated[id] = nil
                closedRows.append((id, at, index))
            case .opened(let slot): (opened[slot].closedAt, opened[slot].fill) = (at, index)
            }
        }
        account.positions[fill.symbol] = outcome.position.map { next in
            opened.append((account.userId, next, index, nil))
            return Tracked(position: next, place: .opened(opened.count - 1))
        }
    }

    /// The position rows to write, once the fills have ids.
    func positionChanges(fillIds: [Int64: Int64]) throws -> LedgerBatchStore.PositionChanges {
        func id(_ fill: Int) throws -> Int64 {
            guard let id = fillIds[fills[fill].order.id] else { throw StorageError.corruptValue("fill of order \(fills[fill].order.id) has no id") }
            return id
        }
        var changes = LedgerBatchStore.PositionChanges()
        changes.updated = try updated.sorted { $0.key < $1.key }.map { ($0.key, $0.value.position, try id($0.value.fill)) }
        changes.closed = try closedRows.map { ($0.id, $0.at, try id($0.fill)) }
        changes.opened = try opened.map { ($0.userId, $0.position, try id($0.fill), $0.closedAt) }
        return changes
    }

    /// Why the account cannot afford `fill` now, or `nil` when it can.
    private static func refusal(of fill: Fill, order: PaperOrder, account: Account) -> String? {
        guard let instrument = RestingOrder(order)?.instrument else { return "the order's symbol is no longer valid" }
        let held = account.positions.values.map { HeldPosition(position: $0.position, mark: $0.position.averageCost) }
        guard let equity = try? OrderService.equity(cash: account.cash, positions: held) else { return "the account cannot be valued" }
        let decision = BuyingPower.check(
            instrument: instrument, side: fill.side, quantity: fill.quantity, estimatedPrice: fill.price, cash: account.cash,
            equity: equity, positions: held)
        guard case .rejected(let rejection) = decision else { return nil }
        return "not filled at \(fill.price): \(rejection.message)"
    }
}

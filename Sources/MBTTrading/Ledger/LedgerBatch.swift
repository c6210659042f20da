import Foundation
import MBTDomain
import MBTStorage

/// Everything one transaction will write to the ledger, decided in memory over accounts the
/// transaction has locked (docs/ledger.md): new orders, fills, orders closed unfilled, and cash
/// movements. Each entry moves its account's cash, positions and open-order reservations at
/// once, so the next entry of the same account is judged on the account as this one left it.
/// ``LedgerWriter`` writes the whole batch in set-based statements.
struct LedgerBatch: Sendable {
    /// An order a fill or close refers to: one already stored, or one this batch inserts.
    enum OrderRef: Sendable {
        case stored(PaperOrder)
        case new(Int)

        var isStored: Bool {
            if case .stored = self { true } else { false }
        }
    }

    struct NewOrder: Sendable {
        var row: OrderStore.NewOrder
        /// The open order this one replaces; it is closed in the same batch.
        var replacing: PaperOrder?
        /// A leg's parent (an index into ``newOrders``).
        var parent: Int?
        /// A multi-leg parent's legs: each child's index, ratio and position intent.
        var legs: [Leg] = []
        /// Who placed it when it is not the account's owner (an admin's reset); `nil`: the owner.
        var actor: Int64? = nil
        /// An order the engine makes to record a settlement (an expiry, exercise, assignment,
        /// split or cash in lieu) and fills in the same batch: nobody submitted it, so only its
        /// fill is audited.
        var settlement = false
    }

    struct Leg: Sendable {
        let child: Int
        let ratio: Int64
        let intent: PositionIntent
    }

    /// A multi-leg parent whose legs all fill in this batch, at `netPrice` per unit.
    struct ComboCompletion: Sendable {
        let parent: OrderRef
        let netPrice: Decimal6
        let at: Date
    }

    struct FillEntry: Sendable {
        let order: OrderRef
        let fill: Fill
        let at: Date
    }

    struct Close: Sendable {
        let order: PaperOrder
        let status: OrderStatus
        /// `nil` for a replaced order: its reason names the replacement once that has an id.
        let reason: String?
        /// The new order (an index into ``newOrders``) that replaces this one.
        let replacedBy: Int?
        /// Who closed it; `nil` for the engine (an expiry, a refusal at the fill).
        let actor: Int64?
        let at: Date
    }

    private(set) var accounts: [Int64: LedgerAccount]
    private(set) var newOrders: [NewOrder] = []
    private(set) var fills: [FillEntry] = []
    private(set) var closes: [Close] = []
    private(set) var cashMovements: [LedgerStore.CashMovementRow] = []
    private(set) var completions: [ComboCompletion] = []
    /// Account resets decided in this batch, audited as `paper_account_reset`.
    private(set) var resets: [Reset] = []
    /// Cash moved by fills, per account.
    private(set) var tradeCash: [Int64: Decimal6] = [:]

    /// Position changes, each with the index in `fills` of the fill that made it.
    private var updated: [Int64: (position: Position, fill: Int)] = [:]
    private var closedRows: [(id: Int64, at: Date, fill: Int)] = []
    private var opened: [(userId: Int64, position: Position, fill: Int, closedAt: Date?)] = []

    init(accounts: [LedgerAccount] = []) {
        self.accounts = Dictionary(uniqueKeysWithValues: accounts.map { ($0.userId, $0) })
    }

    func account(_ userId: Int64) throws -> LedgerAccount {
        guard let account = accounts[userId] else { throw LedgerError.accountNotLocked(userId) }
        return account
    }

    // MARK: - Entries

    /// A new order; returns its index. An open one starts reserving buying power; the order it
    /// replaces, if any, is closed and stops.
    @discardableResult
    mutating func place(
        _ row: OrderStore.NewOrder, replacing: PaperOrder?, actor: Int64?, reason: String? = nil, settlement: Bool = false
    ) throws -> Int {
        var account = try account(row.userId)
        let index = newOrders.count
        newOrders.append(NewOrder(row: row, replacing: replacing, actor: actor == row.userId ? nil : actor, settlement: settlement))
        if row.status.isOpen { account.open(row) }
        if let replacing {
            account.release(replacing)
            closes.append(Close(order: replacing, status: .canceled, reason: reason, replacedBy: index, actor: actor, at: row.submittedAt))
        }
        accounts[row.userId] = account
        return index
    }

    /// A multi-leg order: the parent and one child per leg, placed together with one status
    /// (rejected; accepted to fill in this batch and be completed by ``complete(_:netPrice:at:)``;
    /// or accepted to rest). An open parent holds back its `reservedBuyingPower`; its legs reserve
    /// nothing of their own. A replacement closes the order it replaces, parent and legs.
    mutating func placeCombo(
        _ parent: OrderStore.NewOrder, legs: [(row: OrderStore.NewOrder, ratio: Int64, intent: PositionIntent)],
        replacing: (parent: PaperOrder, legs: [PaperOrder])? = nil, actor: Int64? = nil
    ) throws -> (parent: Int, children: [Int]) {
        let index = try place(parent, replacing: replacing?.parent, actor: actor)
        for leg in replacing?.legs ?? [] {
            close(leg, as: .canceled, reason: "replaced with its multi-leg order", actor: actor, at: parent.submittedAt)
        }
        var children: [Int] = []
        for leg in legs {
            let child = try place(leg.row, replacing: nil, actor: nil)
            newOrders[child].parent = index
            newOrders[index].legs.append(Leg(child: child, ratio: leg.ratio, intent: leg.intent))
            children.append(child)
        }
        return (index, children)
    }

    /// Marks a multi-leg parent filled at `netPrice` once every leg has filled in this batch; a
    /// stored (resting) parent stops holding back its reservation.
    mutating func complete(_ parent: OrderRef, netPrice: Decimal6, at: Date) {
        if case .stored(let order) = parent { accounts[order.userId]?.release(order) }
        completions.append(ComboCompletion(parent: parent, netPrice: netPrice, at: at))
    }

    /// Closes a resting multi-leg order unfilled, parent and legs; its reservation ends.
    mutating func close(combo parent: PaperOrder, legs: [PaperOrder], as status: OrderStatus, reason: String, actor: Int64?, at: Date) {
        close(parent, as: status, reason: reason, actor: actor, at: at)
        for leg in legs { close(leg, as: status, reason: "\(status.rawValue) with its multi-leg order", actor: actor, at: at) }
    }

    /// Fills an open order in full: the account's cash and position move, its reservation ends.
    mutating func fill(_ ref: OrderRef, with fill: Fill) throws {
        let (userId, assetClass, submittedAt, limit, orderClass) = facts(of: ref)
        var account = try account(userId)
        // A fill is recorded at the instant it was priced (a bar's start), never before the order existed.
        let at = max(fill.pricedAt, submittedAt)
        let index = fills.count
        fills.append(FillEntry(order: ref, fill: fill, at: at))
        if orderClass == .simple { account.release(symbol: fill.symbol, side: fill.side, quantity: fill.quantity, limitPrice: limit) }
        let outcome = try PositionMath.apply(fill, to: account.positions[fill.symbol]?.position, assetClass: assetClass, at: at)
        account.cash += outcome.cashChange
        tradeCash[userId, default: .zero] += outcome.cashChange
        track(outcome.position, after: account.positions[fill.symbol], symbol: fill.symbol, fill: index, at: at, account: &account)
        accounts[userId] = account
    }

    /// A stock split, as an order filled at no price (docs/jobs.md): the position becomes
    /// `position`, whose quantity and average cost the split rescaled together; no cash moves.
    mutating func split(_ ref: OrderRef, with fill: Fill, to position: Position) throws {
        let (userId, _, submittedAt, _, _) = facts(of: ref)
        var account = try account(userId)
        let at = max(fill.pricedAt, submittedAt)
        fills.append(FillEntry(order: ref, fill: fill, at: at))
        track(position, after: account.positions[fill.symbol], symbol: fill.symbol, fill: fills.count - 1, at: at, account: &account)
        accounts[userId] = account
    }

    private func facts(of ref: OrderRef) -> (
        userId: Int64, assetClass: AssetClass, submittedAt: Date, limit: Decimal6?, orderClass: OrderClass
    ) {
        switch ref {
        case .stored(let order): (order.userId, order.assetClass, order.submittedAt, order.limitPrice, order.orderClass)
        case .new(let index):
            (
                newOrders[index].row.userId, newOrders[index].row.assetClass, newOrders[index].row.submittedAt,
                newOrders[index].row.limitPrice, newOrders[index].row.orderClass
            )
        }
    }

    /// Closes an open order unfilled; its reservation ends.
    mutating func close(_ order: PaperOrder, as status: OrderStatus, reason: String, actor: Int64?, at: Date) {
        accounts[order.userId]?.release(order)
        closes.append(Close(order: order, status: status, reason: reason, replacedBy: nil, actor: actor, at: at))
    }

    /// Cash that is not a trade: a dividend, cash in lieu, a fee, a reset.
    mutating func move(_ movement: LedgerStore.CashMovementRow) throws {
        var account = try account(movement.userId)
        account.cash += movement.amount
        accounts[movement.userId] = account
        cashMovements.append(movement)
    }

    // MARK: - Positions

    private mutating func track(
        _ next: Position?, after current: TrackedPosition?, symbol: String, fill index: Int, at: Date, account: inout LedgerAccount
    ) {
        if let current, let next, next.side == current.position.side, next.openedAt == current.position.openedAt {
            switch current.place {
            case .row(let id): updated[id] = (next, index)
            case .opened(let slot): (opened[slot].position, opened[slot].fill) = (next, index)
            }
            account.positions[symbol] = TrackedPosition(position: next, place: current.place)
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
        account.positions[symbol] = next.map { position in
            opened.append((account.userId, position, index, nil))
            return TrackedPosition(position: position, place: .opened(opened.count - 1))
        }
    }

    /// The position rows to write, once the fills have ids (by index in ``fills``).
    func positionChanges(fillIds: [Int64]) -> LedgerStore.PositionChanges {
        var changes = LedgerStore.PositionChanges()
        changes.updated = updated.sorted { $0.key < $1.key }.map { ($0.key, $0.value.position, fillIds[$0.value.fill]) }
        changes.closed = closedRows.map { ($0.id, $0.at, fillIds[$0.fill]) }
        changes.opened = opened.map { ($0.userId, $0.position, fillIds[$0.fill], $0.closedAt) }
        return changes
    }

    /// The order's status before this batch filled it.
    func statusBefore(_ ref: OrderRef) -> OrderStatus {
        switch ref {
        case .stored(let order): order.status
        case .new(let index): newOrders[index].row.status
        }
    }

    /// Records that the batch resets an account; its entries are made by ``reset(_:startingBalance:openOrders:actor:at:)``.
    mutating func record(_ reset: Reset) {
        resets.append(reset)
    }

    var isEmpty: Bool {
        newOrders.isEmpty && fills.isEmpty && closes.isEmpty && cashMovements.isEmpty && completions.isEmpty && resets.isEmpty
    }
}

/// What the ledger writer found wrong with a batch it was given.
enum LedgerError: Error, CustomStringConvertible {
    case accountNotLocked(Int64)
    case missingRow(String)

    var description: String {
        switch self {
        case .accountNotLocked(let userId): "the paper account of user \(userId) was not locked for this change"
        case .missingRow(let what): "the database did not return \(what)"
        }
    }
}

extension LedgerBatch {
    /// Every symbol the batch's accounts hold.
    var heldSymbols: Set<String> { Set(accounts.values.flatMap(\.positions.keys)) }
}

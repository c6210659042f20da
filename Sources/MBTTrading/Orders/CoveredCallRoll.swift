import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage

/// Rolls a covered-call program's short call (docs/multi-leg.md): buy the open call back, and only
/// once that has filled, sell the new one. Both orders belong to the strategy, so the close takes
/// lots by the strategy's lot method.
public struct CoveredCallRoll: Sendable {
    public let orders: OrderService

    public init(orders: OrderService) {
        self.orders = orders
    }

    /// Where the new call goes: a listed strike, or the strike whose delta is nearest a target.
    public enum Target: Sendable, Hashable {
        case strike(Decimal6)
        case delta(Decimal6)
    }

    /// What a roll did: the close, and the open when the close filled.
    public struct Outcome: Sendable {
        public let close: PaperOrder
        public let open: PaperOrder
    }

    /// Why a roll could not start or stopped after the close.
    public enum Failure: Error, Sendable {
        /// The strategy is not a covered-call program, or no (or more than one) short call of its
        /// underlying is open and `symbol` does not say which.
        case nothingToRoll(String)
        /// The new expiry lists no call at the target.
        case noContract(String)
        /// The close was stored but did not fill (it rests, e.g. outside the session); it was
        /// canceled, and nothing was opened.
        case closeNotFilled(PaperOrder)
    }

    public func roll(_ strategy: Strategy, symbol: String?, to expiry: MarketDate, target: Target, for user: User) async throws -> Outcome {
        guard let config = strategy.coveredCall else { throw Failure.nothingToRoll("strategy \(strategy.id) is not an lcc strategy") }
        let current = try await openShortCall(of: config.underlying, symbol: symbol, user: user)
        let contract = try await newContract(config.underlying, expiry: expiry, target: target, user: user)
        let quantity = current.quantity
        // The close first; its refusal is the caller's answer and nothing is opened.
        guard
            case .created(let close) = try await orders.submit(
                OrderRequest(symbol: current.symbol, side: .buy, quantity: quantity, type: .market), strategyId: strategy.id, for: user)
        else { throw Failure.nothingToRoll("the close could not be submitted") }
        guard close.status == .filled else {
            let canceled = (try? await orders.cancel(orderId: close.id, for: user)) ?? close
            throw Failure.closeNotFilled(canceled)
        }
        guard
            case .created(let open) = try await orders.submit(
                OrderRequest(symbol: contract.description, side: .sell, quantity: quantity, type: .market), strategyId: strategy.id,
                for: user)
        else { throw Failure.nothingToRoll("the open could not be submitted") }
        return Outcome(close: close, open: open)
    }

    /// The account's open short call on `underlying` (the one named `symbol` when several are).
    private func openShortCall(of underlying: String, symbol: String?, user: User) async throws -> Position {
        let calls = try await PositionStore(database: orders.database).openPositions(userId: user.id).filter { position in
            guard position.side == .short, let contract = try? OptionSymbol(parsing: position.symbol) else { return false }
            return contract.root == underlying && contract.right == .call && (symbol == nil || position.symbol == symbol)
        }
        guard calls.count == 1, let call = calls.first else {
            throw Failure.nothingToRoll(
                calls.isEmpty
                    ? "no short \(underlying) call\(symbol.map { " \($0)" } ?? "") is open to roll"
                    : "\(calls.count) short \(underlying) calls are open; name the one to roll in symbol")
        }
        return call
    }

    private func newContract(_ underlying: String, expiry: MarketDate, target: Target, user: User) async throws -> OptionSymbol {
        let calls = try await orders.marketData.optionChain(underlying: underlying, expiry: expiry, for: [user.id]).filter {
            $0.right == .call
        }
        let picked: OptionChainEntry? =
            switch target {
            case .strike(let strike): calls.first { $0.strike == strike }
            case .delta(let delta): StrikePicker.nearest(delta: delta, in: calls)
            }
        guard let picked else {
            throw Failure.noContract(
                "the market lists no \(underlying) call expiring \(expiry) at that \(target.isStrike ? "strike" : "delta")")
        }
        return picked.symbol
    }
}

extension CoveredCallRoll.Target {
    var isStrike: Bool {
        if case .strike = self { return true }
        return false
    }
}

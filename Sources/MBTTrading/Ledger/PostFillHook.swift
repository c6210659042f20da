import MBTDomain
import SQLKit

/// Called inside a fill's transaction once its rows are written, so what the hook writes commits
/// or rolls back with the fill. The submit path calls ``orderFilled(_:fill:fillId:on:)`` once per
/// filled (parent) order; the bar loop, which writes the fills of many accounts in one
/// transaction, calls ``accountsFilled(_:on:)`` once with the last fill of each account, so an
/// implementation must take every fill it has not applied yet (the tax ledger keeps a per-account
/// version for that).
public protocol PostFillHook: Sendable {
    func orderFilled(_ order: PaperOrder, fill: Fill, fillId: Int64, on db: any SQLDatabase) async throws

    /// The batch entry point: one call for many accounts, each named by its last fill (one entry
    /// per account), so an implementation can catch them all up in a fixed number of statements
    /// instead of a few per account.
    func accountsFilled(_ fills: [PostFill], on db: any SQLDatabase) async throws
}

/// An account's last fill in a batch: the order as the fill left it, the fill and its row id.
public typealias PostFill = (order: PaperOrder, fill: Fill, fillId: Int64)

extension PostFillHook {
    /// One ``orderFilled(_:fill:fillId:on:)`` per account, in the order given: right for a hook
    /// whose per-call cost does not depend on the database.
    public func accountsFilled(_ fills: [PostFill], on db: any SQLDatabase) async throws {
        for filled in fills { try await orderFilled(filled.order, fill: filled.fill, fillId: filled.fillId, on: db) }
    }
}

/// The hook that does nothing, for deployments and tests without a tax engine.
public struct NoPostFillHook: PostFillHook {
    public init() {}

    public func orderFilled(_ order: PaperOrder, fill: Fill, fillId: Int64, on db: any SQLDatabase) async throws {}
}

import MBTDomain
import SQLKit

/// Called inside a fill's transaction once its rows are written, so what the hook writes commits
/// or rolls back with the fill. The submit path calls it once per filled (parent) order; the bar
/// loop, which writes many fills of an account in one transaction, calls it once per account with
/// the last of them, so an implementation must take every fill it has not applied yet (the tax
/// ledger keeps a per-account version for that).
public protocol PostFillHook: Sendable {
    func orderFilled(_ order: PaperOrder, fill: Fill, fillId: Int64, on db: any SQLDatabase) async throws
}

/// The hook that does nothing, for deployments and tests without a tax engine.
public struct NoPostFillHook: PostFillHook {
    public init() {}

    public func orderFilled(_ order: PaperOrder, fill: Fill, fillId: Int64, on db: any SQLDatabase) async throws {}
}

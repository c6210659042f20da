import MBTDomain
import SQLKit

/// Called once per filled (parent) order inside the fill's transaction, so what it writes commits
/// or rolls back with the fill. The tax engine implements it; until then nothing else is needed,
/// since positions and realized P&L come from average cost.
public protocol PostFillHook: Sendable {
    func orderFilled(_ order: PaperOrder, fill: Fill, fillId: Int64, on db: any SQLDatabase) async throws
}

/// The hook that does nothing, for deployments and tests without a tax engine.
public struct NoPostFillHook: PostFillHook {
    public init() {}

    public func orderFilled(_ order: PaperOrder, fill: Fill, fillId: Int64, on db: any SQLDatabase) async throws {}
}

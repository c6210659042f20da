/// Decides, per request, whether trading is available: the paper-trading feature flag and the two
/// kill switches (record SC-15), all read at request time.
///
/// - Flag off: every trading route behaves as if it did not exist (404).
/// - `MBT_TRADING_DISABLED=1`: every trading route refuses (503).
/// - `MBT_NEW_ORDERS_DISABLED=1`: anything that creates or replaces an order refuses (503); reads
///   and cancels still work so people can see and reduce their risk.
public struct TradingGate: Sendable {
    public static let tradingDisabledVariable = "MBT_TRADING_DISABLED"
    public static let newOrdersDisabledVariable = "MBT_NEW_ORDERS_DISABLED"

    /// What a trading request would do.
    public enum Action: Sendable {
        case read
        case cancel
        /// Creates an order, or replaces one (a replacement is a new order).
        case newOrder
        /// Any other change (for example an account reset).
        case otherChange
        /// Reading market data: gated by the flag only, since the kill switches stop trading, not
        /// people's view of the market.
        case marketData
    }

    public enum Refusal: Error, Sendable, Equatable {
        case featureDisabled(reason: String)
        case tradingDisabled
        case newOrdersDisabled
    }

    public let flags: FeatureFlagCatalog
    public let deployment: DeploymentEnvironment
    public let environment: ProcessEnvironment

    public init(flags: FeatureFlagCatalog, deployment: DeploymentEnvironment, environment: ProcessEnvironment) {
        self.flags = flags
        self.deployment = deployment
        self.environment = environment
    }

    /// `nil` when the action may go ahead, else why not.
    public func refusal(for action: Action) -> Refusal? {
        if case .off(let reason) = flags.state(of: FeatureFlagCatalog.paperTrading, in: deployment, environment: environment) {
            return .featureDisabled(reason: reason)
        }
        if action == .marketData { return nil }
        if environment.switchValue(Self.tradingDisabledVariable) == .on {
            return .tradingDisabled
        }
        if action == .newOrder, environment.switchValue(Self.newOrdersDisabledVariable) == .on {
            return .newOrdersDisabled
        }
        return nil
    }
}

import MBTTestSupport
import MBTTrading
import Testing

@Suite("Trading gate: flag and kill switches")
struct TradingGateTests {
    static let catalog = FeatureFlagCatalog(flags: [
        FeatureFlagCatalog.paperTrading: .init(
            description: "paper trading", risk: .high, defaults: [.development: true, .staging: false, .production: false])
    ])
    static let everyAction: [TradingGate.Action] = [.read, .cancel, .newOrder, .otherChange]

    @Test func everythingIsAllowedWhenTheFlagIsOnAndNoSwitchIsSet() {
        let gate = TradingGate(flags: Self.catalog, deployment: .development, environment: TestEnvironment().processEnvironment)
        for action in Self.everyAction { #expect(gate.refusal(for: action) == nil) }
    }

    @Test func flagOffRefusesEverythingAsIfTradingDidNotExist() {
        let gate = TradingGate(flags: Self.catalog, deployment: .production, environment: TestEnvironment().processEnvironment)
        for action in Self.everyAction {
            guard case .featureDisabled = gate.refusal(for: action) else {
                Issue.record("\(action) was not refused")
                continue
            }
        }
    }

    @Test func tradingDisabledRefusesEverything() {
        let gate = TradingGate(
            flags: Self.catalog, deployment: .development, environment: TestEnvironment(["MBT_TRADING_DISABLED": "1"]).processEnvironment)
        for action in Self.everyAction { #expect(gate.refusal(for: action) == .tradingDisabled) }
    }

    @Test func newOrdersDisabledLeavesReadsCancelsAndOtherChanges() {
        let gate = TradingGate(
            flags: Self.catalog, deployment: .development, environment: TestEnvironment(["MBT_NEW_ORDERS_DISABLED": "1"]).processEnvironment)
        #expect(gate.refusal(for: .newOrder) == .newOrdersDisabled)
        #expect(gate.refusal(for: .read) == nil)
        #expect(gate.refusal(for: .cancel) == nil)
        #expect(gate.refusal(for: .otherChange) == nil)
    }

    @Test func switchesAreReadAtEachCheck() {
        let environment = TestEnvironment()
        let gate = TradingGate(flags: Self.catalog, deployment: .development, environment: environment.processEnvironment)
        #expect(gate.refusal(for: .read) == nil)
        environment["MBT_TRADING_DISABLED"] = "1"
        #expect(gate.refusal(for: .read) == .tradingDisabled)
        environment["MBT_TRADING_DISABLED"] = "0"
        #expect(gate.refusal(for: .read) == nil)
        environment[FeatureFlagCatalog.paperTrading] = "0"
        #expect(gate.refusal(for: .read) != nil)
    }
}

import Foundation
import MBTTestSupport
import MBTTrading
import Testing

@Suite("Feature flags")
struct FeatureFlagCatalogTests {
    /// The repository's own flag file, as the server loads it.
    static let repositoryCatalog: FeatureFlagCatalog = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try! FeatureFlagCatalog.load(path: root.appendingPathComponent(FeatureFlagCatalog.defaultPath).path)
    }()

    @Test func paperTradingIsHighRiskOnInDevelopmentAndOffElsewhere() throws {
        let flag = try #require(Self.repositoryCatalog.flags[FeatureFlagCatalog.paperTrading])
        #expect(flag.risk == .high)
        #expect(flag.defaults == [.development: true, .staging: false, .production: false])
    }

    @Test(arguments: [
        (DeploymentEnvironment.development, true),
        (.staging, false),
        (.production, false),
    ])
    func defaultsFollowTheDeployment(deployment: DeploymentEnvironment, on: Bool) {
        let state = Self.repositoryCatalog.state(of: FeatureFlagCatalog.paperTrading, in: deployment, environment: TestEnvironment().processEnvironment)
        #expect((state == .on) == on)
    }

    @Test(arguments: [("1", true), ("true", true), ("on", true), ("0", false), ("off", false), ("false", false), ("maybe", false)])
    func environmentVariableOverridesTheDefault(value: String, on: Bool) {
        let environment = TestEnvironment([FeatureFlagCatalog.paperTrading: value]).processEnvironment
        for deployment in DeploymentEnvironment.allCases {
            let state = Self.repositoryCatalog.state(of: FeatureFlagCatalog.paperTrading, in: deployment, environment: environment)
            #expect((state == .on) == on)
        }
    }

    @Test func anUnreadableOverrideIsOffAndSaysWhy() {
        let environment = TestEnvironment([FeatureFlagCatalog.paperTrading: "maybe"]).processEnvironment
        let state = Self.repositoryCatalog.state(of: FeatureFlagCatalog.paperTrading, in: .development, environment: environment)
        guard case .off(let reason) = state else {
            Issue.record("expected off")
            return
        }
        #expect(reason.contains("'maybe'"))
    }

    @Test func anUndeclaredFlagIsOff() {
        let state = Self.repositoryCatalog.state(of: "FLAG_NOPE", in: .development, environment: TestEnvironment(["FLAG_NOPE": "1"]).processEnvironment)
        #expect(state != .on)
    }

    @Test(arguments: [
        "flags:\n  F:\n    description: x\n    risk: high\n    defaults:\n      development: true\n",
        "flags:\n  F:\n    description: x\n    risk: extreme\n    defaults:\n      development: true\n      staging: false\n      production: false\n",
        "not: [valid",
    ])
    func rejectsAnIncompleteOrInvalidCatalog(yaml: String) {
        #expect(throws: TradingConfigurationError.self) { try FeatureFlagCatalog(yaml: yaml) }
    }

    @Test func deploymentComesFromMBTEnv() throws {
        #expect(try DeploymentEnvironment.from(TestEnvironment().processEnvironment) == .development)
        #expect(try DeploymentEnvironment.from(TestEnvironment(["MBT_ENV": "production"]).processEnvironment) == .production)
        #expect(throws: TradingConfigurationError.self) {
            try DeploymentEnvironment.from(TestEnvironment(["MBT_ENV": "prod"]).processEnvironment)
        }
    }
}

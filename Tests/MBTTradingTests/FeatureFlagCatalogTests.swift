import Foundation
import MBTTestSupport
import MBTTrading
import Testing

@Suite("Feature flags")
struct FeatureFlagCatalogTests {
    /// The catalog built into the binary, as the server loads it when no file overrides it.
    static let repositoryCatalog: FeatureFlagCatalog = try! FeatureFlagCatalog.embedded()

    @Test func aFileNamedByTheEnvironmentOverridesTheBuiltInCatalog() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flags-\(UUID().uuidString).yaml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let yaml =
            "flags:\n  FLAG_OTHER:\n    description: x\n    risk: low\n    defaults: {development: true, staging: true, production: false}\n"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let custom = try FeatureFlagCatalog.resolve(environment: ProcessEnvironment { $0 == "MBT_FEATURE_FLAGS_FILE" ? path : nil })
        #expect(Set(custom.flags.keys) == ["FLAG_OTHER"])
        let missing = ProcessEnvironment { $0 == "MBT_FEATURE_FLAGS_FILE" ? path + ".gone" : nil }
        #expect(throws: TradingConfigurationError.self) { try FeatureFlagCatalog.resolve(environment: missing) }
    }

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
        let state = Self.repositoryCatalog.state(
            of: FeatureFlagCatalog.paperTrading, in: deployment, environment: TestEnvironment().processEnvironment)
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
        let state = Self.repositoryCatalog.state(
            of: "FLAG_NOPE", in: .development, environment: TestEnvironment(["FLAG_NOPE": "1"]).processEnvironment)
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

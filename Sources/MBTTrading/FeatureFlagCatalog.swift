import Foundation
import Yams

/// The feature flags declared in `feature_flags.yaml`, with their risk and per-deployment defaults.
///
/// Whether a flag is on: the environment variable of the flag's name (`1`/`0`, `true`/`false`,
/// `on`/`off`), read at each check, else the default for the deployment (`MBT_ENV`).
public struct FeatureFlagCatalog: Sendable {
    public struct Flag: Sendable, Decodable, Equatable {
        public enum Risk: String, Sendable, Decodable {
            case low, medium, high
        }

        public let description: String
        public let risk: Risk
        public let defaults: [DeploymentEnvironment: Bool]

        public init(description: String, risk: Risk, defaults: [DeploymentEnvironment: Bool]) {
            self.description = description
            self.risk = risk
            self.defaults = defaults
        }
    }

    /// The flag that gates every trading route and page.
    public static let paperTrading = "FLAG_PAPER_TRADING_V1"
    /// A file here, in the working directory, overrides the catalog built into the binary, as
    /// does one named by `MBT_FEATURE_FLAGS_FILE`.
    public static let defaultPath = "feature_flags.yaml"

    public let flags: [String: Flag]

    public init(flags: [String: Flag]) {
        self.flags = flags
    }

    /// Parses the YAML text; every flag must declare a default for every deployment.
    public init(yaml: String) throws(TradingConfigurationError) {
        struct File: Decodable {
            let flags: [String: Flag]
        }
        let file: File
        do {
            file = try YAMLDecoder().decode(File.self, from: yaml)
        } catch {
            throw .invalid("feature_flags.yaml is not valid: \(error)")
        }
        for (name, flag) in file.flags {
            let missing = DeploymentEnvironment.allCases.filter { flag.defaults[$0] == nil }
            guard missing.isEmpty else {
                throw .invalid("feature flag \(name) has no default for \(missing.map(\.rawValue).joined(separator: ", "))")
            }
        }
        self.flags = file.flags
    }

    public static func load(path: String) throws(TradingConfigurationError) -> FeatureFlagCatalog {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw .invalid("cannot read feature flags file '\(path)'; fix the path in MBT_FEATURE_FLAGS_FILE or unset it")
        }
        return try FeatureFlagCatalog(yaml: text)
    }

    /// The catalog built into the binary (`Sources/MBTTrading/feature_flags.yaml`), so `serve` runs
    /// from any directory.
    public static func embedded() throws(TradingConfigurationError) -> FeatureFlagCatalog {
        guard let url = Bundle.module.url(forResource: "feature_flags", withExtension: "yaml") else {
            throw .invalid("the built-in feature flag catalog is missing from this build")
        }
        return try load(path: url.path)
    }

    /// `MBT_FEATURE_FLAGS_FILE` when set, else `./feature_flags.yaml` when present, else the
    /// built-in catalog.
    public static func resolve(environment: ProcessEnvironment) throws(TradingConfigurationError) -> FeatureFlagCatalog {
        if let path = environment["MBT_FEATURE_FLAGS_FILE"] { return try load(path: path) }
        if FileManager.default.fileExists(atPath: defaultPath) { return try load(path: defaultPath) }
        return try embedded()
    }

    /// Whether `name` is on, and if it is off because of a bad override, why.
    public func state(of name: String, in deployment: DeploymentEnvironment, environment: ProcessEnvironment) -> FlagState {
        guard let flag = flags[name] else { return .off(reason: "\(name) is not declared in feature_flags.yaml") }
        switch environment.switchValue(name) {
        case .on:
            return .on
        case .off:
            return .off(reason: "\(name) is turned off by its environment variable")
        case .invalid(let raw):
            return .off(reason: "\(name) has the unreadable value '\(raw)' (use 1 or 0), so it is treated as off")
        case .unset:
            return flag.defaults[deployment] == true
                ? .on : .off(reason: "\(name) is off by default in the \(deployment.rawValue) environment")
        }
    }

    public enum FlagState: Sendable, Equatable {
        case on
        case off(reason: String)
    }
}

extension DeploymentEnvironment: CodingKeyRepresentable {}

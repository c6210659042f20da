/// Which deployment this process is (`MBT_ENV`); feature-flag defaults differ per deployment.
public enum DeploymentEnvironment: String, Sendable, CaseIterable, Codable {
    case development
    case staging
    case production

    public static let variable = "MBT_ENV"

    /// `MBT_ENV`, defaulting to development; an unknown value is an error, not a silent default.
    public static func from(_ environment: ProcessEnvironment) throws(TradingConfigurationError) -> DeploymentEnvironment {
        guard let raw = environment[variable], !raw.isEmpty else { return .development }
        guard let value = DeploymentEnvironment(rawValue: raw) else {
            throw .invalid("\(variable) must be development, staging or production (got '\(raw)')")
        }
        return value
    }
}

/// A configuration problem found at start-up.
public struct TradingConfigurationError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public static func invalid(_ message: String) -> TradingConfigurationError {
        TradingConfigurationError(description: message)
    }
}

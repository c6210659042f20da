import Foundation

/// The Alpaca Market Data key pair. Read from the environment (or files the environment names)
/// only; never stored, logged or echoed — its descriptions are redacted.
public struct AlpacaCredentials: Sendable, CustomStringConvertible, CustomReflectable {
    public static let keyVariable = "ALPACA_MARKET_DATA_KEY"
    public static let secretVariable = "ALPACA_MARKET_DATA_SECRET"

    let keyID: String
    let secret: String

    public init(keyID: String, secret: String) {
        self.keyID = keyID
        self.secret = secret
    }

    /// The key pair from `ALPACA_MARKET_DATA_KEY`/`_SECRET`, or from the files named by
    /// `ALPACA_MARKET_DATA_KEY_FILE`/`_SECRET_FILE`; `nil` when neither is set (the simulated
    /// market is used then). Half a pair is an error.
    public static func fromEnvironment(_ environment: [String: String]) throws(MarketDataError) -> AlpacaCredentials? {
        let key = try value(keyVariable, environment)
        let secret = try value(secretVariable, environment)
        switch (key, secret) {
        case (nil, nil):
            return nil
        case (let key?, let secret?):
            return AlpacaCredentials(keyID: key, secret: secret)
        default:
            throw .unauthorized("set both \(keyVariable) and \(secretVariable) (or their _FILE variants), or neither")
        }
    }

    private static func value(_ name: String, _ environment: [String: String]) throws(MarketDataError) -> String? {
        if let direct = environment[name], !direct.isEmpty { return direct }
        guard let path = environment[name + "_FILE"], !path.isEmpty else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unauthorized("cannot read \(name)_FILE '\(path)'")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    public var description: String { "AlpacaCredentials(redacted)" }

    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

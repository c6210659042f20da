import Foundation

/// Reads environment variables when asked, not once at start-up, so operators can flip kill
/// switches and flags on a running process (and tests can flip them between requests).
public struct ProcessEnvironment: Sendable {
    private let lookup: @Sendable (String) -> String?

    public init(lookup: @escaping @Sendable (String) -> String?) {
        self.lookup = lookup
    }

    /// The process's real environment.
    public static let live = ProcessEnvironment { name in
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }

    public subscript(_ name: String) -> String? { lookup(name) }

    /// Reads a yes/no variable: `1`, `true`, `yes`, `on` are yes; `0`, `false`, `no`, `off` and
    /// the empty string are no; anything else is `.invalid` so it can be reported rather than guessed.
    public func switchValue(_ name: String) -> SwitchValue {
        guard let raw = self[name] else { return .unset }
        switch raw.trimmingCharacters(in: .whitespaces).lowercased() {
        case "1", "true", "yes", "on": return .on
        case "0", "false", "no", "off", "": return .off
        default: return .invalid(raw)
        }
    }

    public enum SwitchValue: Sendable, Equatable {
        case unset
        case on
        case off
        case invalid(String)
    }
}

import MBTTrading
import Synchronization

/// Environment variables a test can change while the code under test reads them.
public final class TestEnvironment: Sendable {
    private let values: Mutex<[String: String]>

    public init(_ values: [String: String] = [:]) {
        self.values = Mutex(values)
    }

    public subscript(_ name: String) -> String? {
        get { values.withLock { $0[name] } }
        set { values.withLock { $0[name] = newValue } }
    }

    /// A ``ProcessEnvironment`` reading from this one.
    public var processEnvironment: ProcessEnvironment {
        ProcessEnvironment { [self] name in self[name] }
    }
}

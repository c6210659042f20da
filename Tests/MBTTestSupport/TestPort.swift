/// A loopback port for a server a test starts, drawn below Linux's ephemeral range (32768–60999):
/// the test run's own outgoing connections (hundreds to PostgreSQL) take their local ports from
/// that range, and a server drawn into it failed once with "Address already in use".
public enum TestPort {
    public static func random(in range: Range<Int> = 20_000..<32_768) -> Int {
        Int.random(in: range)
    }
}

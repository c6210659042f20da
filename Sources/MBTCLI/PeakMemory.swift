#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// This process's peak resident memory, for the benchmarks' reports (docs/performance.md).
enum PeakMemory {
    /// `getrusage`'s maximum resident set size, in whole megabytes (Linux reports kilobytes).
    static func megabytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss) / 1024
    }
}

import Foundation
import MBTTrading

/// A one-line progress report rewritten in place on a terminal (`accounts 5000/100000, 2431/s,
/// eta 39s`), for long CLI runs. Off when standard error is not a terminal, so logs and pipes get
/// no carriage returns.
enum ProgressLine {
    /// Progress for `label`, or `nil` when standard error is not a terminal.
    static func forTerminal(_ label: String, start: Date = Date()) -> JobProgress? {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        return JobProgress { done, total in
            FileHandle.standardError.write(
                Data(("\r" + text(label, done: done, total: total, elapsed: Date().timeIntervalSince(start))).utf8))
            if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
        }
    }

    /// `"paper.eod_snapshot: 500/10000 accounts, 1250/s, eta 8s"`.
    static func text(_ label: String, done: Int, total: Int, elapsed: TimeInterval) -> String {
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? "eta \(Int((Double(total - done) / rate).rounded(.up)))s" : "eta –"
        return "\(label): \(done)/\(total) accounts, \(Int(rate.rounded()))/s, \(eta)"
    }
}

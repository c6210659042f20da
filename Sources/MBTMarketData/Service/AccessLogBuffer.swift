import Foundation
import Logging
import MBTDomain

/// Collects market-data access rows and writes them in batches: when `batchSize` rows are waiting,
/// and on every ``flush()`` (which the server calls once a second and at shutdown).
///
/// Batching keeps the audit trail off the hot path of quote lookups; a row is never dropped
/// silently — a failed write is retried on the next flush and logged.
public actor AccessLogBuffer {
    private let recorder: any MarketDataAccessRecorder
    private let batchSize: Int
    private let logger: Logger
    private var pending: [MarketDataAccess] = []

    public init(recorder: any MarketDataAccessRecorder, batchSize: Int = 500, logger: Logger) {
        self.recorder = recorder
        self.batchSize = batchSize
        self.logger = logger
    }

    public func append(_ rows: [MarketDataAccess]) async {
        pending.append(contentsOf: rows)
        if pending.count >= batchSize { await flush() }
    }

    /// Writes everything waiting.
    public func flush() async {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending.removeAll(keepingCapacity: true)
        do {
            try await recorder.record(batch)
        } catch {
            logger.error("market data access log write failed; will retry", metadata: ["rows": "\(batch.count)", "error": "\(error)"])
            pending.insert(contentsOf: batch, at: 0)
        }
    }

    public var pendingCount: Int { pending.count }
}

import Foundation
import MBTDomain
import SQLKit

/// Soft-deletes history past a tier's retention window (`paper.retention_purge`): finished orders
/// and closed positions get a `deleted_at` and leave the API, while `mbt verify` and the tax engine
/// keep reading them. Each call marks at most `limit` rows, so a large purge never holds long locks.
public enum RetentionStore {
    /// Finished orders of `tier`'s users submitted before `cutoff` (filled ones: filled before it),
    /// marked deleted at `now`; returns how many.
    public static func purgeOrders(tier: UserTier, before cutoff: Date, now: Date, limit: Int, on db: any SQLDatabase) async throws -> Int {
        try await db.raw(
            """
            UPDATE paper_orders SET deleted_at = \(bind: StoredTimestamp(now)) WHERE id IN (
                SELECT o.id FROM paper_orders o JOIN users u ON u.id = o.user_id
                WHERE u.tier = \(bind: tier.rawValue) AND o.deleted_at IS NULL AND NOT \(unsafeRaw: OpenOrderPredicate.sql("o.status"))
                  AND o.submitted_at < \(bind: StoredTimestamp(cutoff)) AND COALESCE(o.filled_at, o.submitted_at) < \(bind: StoredTimestamp(cutoff))
                LIMIT \(literal: limit)
            ) RETURNING id
            """
        ).all().count
    }

    /// Positions of `tier`'s users closed before `cutoff`, marked deleted at `now`; returns how many.
    public static func purgePositions(tier: UserTier, before cutoff: Date, now: Date, limit: Int, on db: any SQLDatabase) async throws
        -> Int
    {
        try await db.raw(
            """
            UPDATE paper_positions SET deleted_at = \(bind: StoredTimestamp(now)) WHERE id IN (
                SELECT p.id FROM paper_positions p JOIN users u ON u.id = p.user_id
                WHERE u.tier = \(bind: tier.rawValue) AND p.deleted_at IS NULL AND p.closed_at IS NOT NULL
                  AND p.closed_at < \(bind: StoredTimestamp(cutoff))
                LIMIT \(literal: limit)
            ) RETURNING id
            """
        ).all().count
    }
}

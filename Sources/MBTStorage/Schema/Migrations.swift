/// Every migration this build knows, in version order. Append only: never edit or reorder a
/// migration that has shipped; add a new one.
public enum Migrations {
    public static let all: [Migration] = [
        createUsers,
        registerPaperTradingFlag,
        createStrategies,
        createTaxTables,
        createPaperPositions,
        createPaperOrders,
        createPaperFillsAndAccessLog,
        addPaperPositionsLastFillForeignKey,
        createOperationsTables,
        addPaperOrdersClientOrderId,
        addPaperFillsExplanation,
        addTaxEngineColumns,
        addRestingOrderIndexes,
        addPaperOrdersReplacement,
        addJobRunCounts,
        addRetentionDeletedAt,
        addYearEndMarks,
        addOrderClass,
        createAPIKeys,
        addAuditLogUserIdIndex,
        addWebSessions,
        createWatchlists,
        createAlpacaRateLimits,
        addAccessLogCorporateActions,
        createBarLoopEngines,
        addPaperFillsUserId,
        createOpenOrderTotals,
    ]

    /// The version the schema reaches with every migration applied.
    public static var latestVersion: Int { all.last?.version ?? 0 }
}

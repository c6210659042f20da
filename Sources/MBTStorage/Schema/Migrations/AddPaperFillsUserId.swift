/// `paper_fills.user_id`, the owner of the fill's order, with an index on `(user_id, id)`: the tax
/// ledger reads "this account's fills after the last one it taxed", and only this index answers
/// that by the account's own range, whatever the planner's statistics say (docs/performance.md).
/// The ledger's one writer sets it with every fill; `mbt verify` checks it against the order.
let addPaperFillsUserId = Migration(
    version: 26,
    name: "AddPaperFillsUserId",
    up: [
        .portable("ALTER TABLE paper_fills ADD COLUMN user_id BIGINT NOT NULL DEFAULT 0"),
        .portable("UPDATE paper_fills SET user_id = (SELECT o.user_id FROM paper_orders o WHERE o.id = paper_fills.paper_order_id)"),
        .postgresOnly(
            """
            -- POSTGRES-ONLY
            ALTER TABLE paper_fills ALTER COLUMN user_id DROP DEFAULT
            """,
            sqlite: []),
        .portable("CREATE INDEX pf_user_fill ON paper_fills(user_id, id)"),
    ],
    down: [
        .portable("DROP INDEX pf_user_fill"),
        .portable("ALTER TABLE paper_fills DROP COLUMN user_id"),
    ]
)

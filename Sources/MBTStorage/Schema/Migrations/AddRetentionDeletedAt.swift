/// Retention soft-deletes history instead of removing it (`paper.retention_purge`, docs/jobs.md):
/// a row with `deleted_at` has left the API and the pages, but `mbt verify` and the tax engine
/// still read it. Orders are found for the purge through `po_user_submitted`: an index of its own
/// would cost every order insert for a nightly job; closed positions get a partial one.
let addRetentionDeletedAt = Migration(
    version: 16,
    name: "AddRetentionDeletedAt",
    up: [
        .portable("ALTER TABLE paper_orders ADD COLUMN deleted_at TIMESTAMPTZ"),
        .portable("ALTER TABLE paper_positions ADD COLUMN deleted_at TIMESTAMPTZ"),
        .portable("CREATE INDEX pp_retention ON paper_positions(user_id, closed_at) WHERE deleted_at IS NULL AND closed_at IS NOT NULL"),
    ],
    down: [
        .portable("DROP INDEX pp_retention"),
        .portable("ALTER TABLE paper_positions DROP COLUMN deleted_at"),
        .portable("ALTER TABLE paper_orders DROP COLUMN deleted_at"),
    ]
)

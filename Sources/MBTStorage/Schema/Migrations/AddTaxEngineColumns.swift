/// What the tax ledger (the post-fill hook, docs/tax-rules.md) needs on top of the tax tables.
///
/// - Stable keys, so a fill rewrites only the rows it changed, in place (keeping the row ids the
///   foreign keys point at): a lot's engine id (`lot_key`, `"12"` or `"12.1"` for a part a wash sale
///   split off), and the engine's position of each disposition and wash sale (`seq`).
/// - What a disposition needs beyond the record's columns: its holding-period start after tacking
///   and the part of its basis that deferred wash-sale losses make up; the lot's closing method.
/// - `paper_fills.tax_lot_method`: the lot method a fill was taxed with, fixed when it is first
///   taxed, so a later rebuild gives the same lots even after the account's default changed.
/// - `paper_accounts.tax_last_fill_id`: the highest fill id the stored tax rows reflect (`NULL`
///   until the ledger first writes them); the hook compares it with its cache.
let addTaxEngineColumns = Migration(
    version: 12,
    name: "AddTaxEngineColumns",
    up: [
        .portable("ALTER TABLE tax_lots ADD COLUMN lot_key TEXT"),
        .portable("ALTER TABLE tax_lots ADD COLUMN lot_method TEXT CHECK (lot_method IN ('fifo', 'lifo', 'hifo', 'specific_id'))"),
        .portable("CREATE UNIQUE INDEX tl_user_lot_key ON tax_lots(user_id, lot_key)"),
        .portable("ALTER TABLE tax_lot_dispositions ADD COLUMN seq BIGINT"),
        .portable("ALTER TABLE tax_lot_dispositions ADD COLUMN adjusted_acquired_at TIMESTAMPTZ"),
        .portable("ALTER TABLE tax_lot_dispositions ADD COLUMN wash_sale_adjustment NUMERIC(18,6) NOT NULL DEFAULT 0"),
        .portable("CREATE UNIQUE INDEX tld_user_seq ON tax_lot_dispositions(user_id, seq)"),
        .portable("ALTER TABLE wash_sale_lots ADD COLUMN seq BIGINT"),
        .portable("CREATE UNIQUE INDEX wsl_user_seq ON wash_sale_lots(user_id, seq)"),
        .portable(
            "ALTER TABLE paper_fills ADD COLUMN tax_lot_method TEXT CHECK (tax_lot_method IN ('fifo', 'lifo', 'hifo', 'specific_id'))"),
        .portable("ALTER TABLE paper_accounts ADD COLUMN tax_last_fill_id BIGINT"),
    ],
    down: [
        .portable("ALTER TABLE paper_accounts DROP COLUMN tax_last_fill_id"),
        .portable("ALTER TABLE paper_fills DROP COLUMN tax_lot_method"),
        .portable("DROP INDEX wsl_user_seq"),
        .portable("ALTER TABLE wash_sale_lots DROP COLUMN seq"),
        .portable("DROP INDEX tld_user_seq"),
        .portable("ALTER TABLE tax_lot_dispositions DROP COLUMN wash_sale_adjustment"),
        .portable("ALTER TABLE tax_lot_dispositions DROP COLUMN adjusted_acquired_at"),
        .portable("ALTER TABLE tax_lot_dispositions DROP COLUMN seq"),
        .portable("DROP INDEX tl_user_lot_key"),
        .portable("ALTER TABLE tax_lots DROP COLUMN lot_method"),
        .portable("ALTER TABLE tax_lots DROP COLUMN lot_key"),
    ]
)

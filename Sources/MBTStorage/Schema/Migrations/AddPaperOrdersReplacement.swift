/// Replacing an order (`PATCH /api/trading/orders/{id}`, docs/fill-rules.md) cancels it and creates a new
/// one; the two are linked both ways, as Alpaca's `replaces` / `replaced_by`, so the history shows
/// which order took over from which without parsing the cancel reason.
let addPaperOrdersReplacement = Migration(
    version: 14,
    name: "AddPaperOrdersReplacement",
    up: [
        .portable("ALTER TABLE paper_orders ADD COLUMN replaces_order_id BIGINT REFERENCES paper_orders(id) ON DELETE SET NULL"),
        .portable("ALTER TABLE paper_orders ADD COLUMN replaced_by_order_id BIGINT REFERENCES paper_orders(id) ON DELETE SET NULL"),
    ],
    down: [
        .portable("ALTER TABLE paper_orders DROP COLUMN replaced_by_order_id"),
        .portable("ALTER TABLE paper_orders DROP COLUMN replaces_order_id"),
    ]
)

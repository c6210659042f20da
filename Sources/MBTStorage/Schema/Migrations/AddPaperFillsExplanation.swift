/// Explainable fills (docs/fill-rules.md): the rule that priced each fill, what it was priced from (ask, bid,
/// mid, bar open, limit) and the instant of that quote or bar.
let addPaperFillsExplanation = Migration(
    version: 11,
    name: "AddPaperFillsExplanation",
    up: [
        .portable("ALTER TABLE paper_fills ADD COLUMN fill_rule TEXT"),
        .portable("ALTER TABLE paper_fills ADD COLUMN price_source TEXT"),
        .portable("ALTER TABLE paper_fills ADD COLUMN priced_at TIMESTAMPTZ"),
    ],
    down: [
        .portable("ALTER TABLE paper_fills DROP COLUMN priced_at"),
        .portable("ALTER TABLE paper_fills DROP COLUMN price_source"),
        .portable("ALTER TABLE paper_fills DROP COLUMN fill_rule"),
    ]
)

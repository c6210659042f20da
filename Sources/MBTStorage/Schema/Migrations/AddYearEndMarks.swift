/// Section 1256 year-end marks in the tax ledger (docs/jobs.md, docs/tax-rules.md):
///
/// - `tax_year_end_marks`: the price per share each open Section 1256 contract was marked at on
///   the last trading day of a year, recorded once by `paper.eod_tax_recalc`;
/// - `paper_accounts.tax_marked_year`: the last year whose marks the account's stored tax rows
///   include, checked with `tax_last_fill_id` before a process trusts its cached book.
let addYearEndMarks = Migration(
    version: 17,
    name: "AddYearEndMarks",
    up: [
        .portable(
            """
            CREATE TABLE tax_year_end_marks (
                year         INTEGER       NOT NULL,
                symbol       TEXT          NOT NULL,
                price        NUMERIC(18,6) NOT NULL CHECK (price >= 0),
                recorded_at  TIMESTAMPTZ   NOT NULL,
                PRIMARY KEY (year, symbol)
            )
            """),
        .portable("ALTER TABLE paper_accounts ADD COLUMN tax_marked_year INTEGER"),
    ],
    down: [
        .portable("ALTER TABLE paper_accounts DROP COLUMN tax_marked_year"),
        .portable("DROP TABLE tax_year_end_marks"),
    ]
)

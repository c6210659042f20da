/// The `paper_positions.last_fill_id` foreign key, added once `paper_fills` exists (SC-3).
let addPaperPositionsLastFillForeignKey = Migration(
    version: 8,
    name: "AddPaperPositionsLastFillForeignKey",
    up: [
        .postgresOnly(
            """
            -- POSTGRES-ONLY
            ALTER TABLE paper_positions
                ADD CONSTRAINT pp_last_fill_fk FOREIGN KEY (last_fill_id)
                REFERENCES paper_fills(id) ON DELETE SET NULL
            """,
            sqlite: try! PaperPositionsDDL.sqliteRebuild(lastFillForeignKey: true)
        )
    ],
    down: [
        .postgresOnly(
            """
            -- POSTGRES-ONLY
            ALTER TABLE paper_positions DROP CONSTRAINT pp_last_fill_fk
            """,
            sqlite: try! PaperPositionsDDL.sqliteRebuild(lastFillForeignKey: false)
        )
    ]
)

/// The bar loops alive on this database (docs/operations.md, "Several servers"): each running
/// engine keeps its row's `alive_until` a lease ahead, so every engine knows how many share the
/// symbols and claims only its share, and a newly started engine gets symbols from the others
/// instead of idling until one dies.
let createBarLoopEngines = Migration(
    version: 25,
    name: "CreateBarLoopEngines",
    up: [
        .portable(
            """
            CREATE TABLE bar_loop_engines (
                owner        TEXT        PRIMARY KEY,
                alive_until  TIMESTAMPTZ NOT NULL
            )
            """)
    ],
    down: [
        .portable("DROP TABLE bar_loop_engines")
    ]
)

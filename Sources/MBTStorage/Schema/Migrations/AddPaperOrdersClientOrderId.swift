/// `client_order_id` makes submission idempotent per user (docs/fill-rules.md): the same (user,
/// client_order_id) can never create a second order, enforced by a unique index.
let addPaperOrdersClientOrderId = Migration(
    version: 10,
    name: "AddPaperOrdersClientOrderId",
    up: [
        .portable("ALTER TABLE paper_orders ADD COLUMN client_order_id TEXT"),
        .portable(
            """
            CREATE UNIQUE INDEX po_user_client_order ON paper_orders(user_id, client_order_id)
                WHERE client_order_id IS NOT NULL
            """),
    ],
    down: [
        .portable("DROP INDEX po_user_client_order"),
        .portable("ALTER TABLE paper_orders DROP COLUMN client_order_id"),
    ]
)

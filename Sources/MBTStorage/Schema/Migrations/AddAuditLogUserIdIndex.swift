/// The trade-updates stream (docs/alpaca-api.md) reads each user's ledger events from `audit_log`
/// by id, after the last one it sent: an index on (user_id, id) keeps that read short.
let addAuditLogUserIdIndex = Migration(
    version: 20,
    name: "AddAuditLogUserIdIndex",
    up: [
        .portable("CREATE INDEX al_user_id ON audit_log(user_id, id)")
    ],
    down: [
        .portable("DROP INDEX al_user_id")
    ]
)

import Foundation
import Hummingbird
import MBTDomain
import MBTStorage

/// The user's rights over their data (docs/privacy.md):
/// - `GET /api/trading/export`: everything MBT holds about the caller, as one JSON document;
/// - `DELETE /api/admin/users/{id}` (admins only; anyone else is told there is no such route):
///   deletes a user and every row of theirs.
struct PrivacyRoutes {
    let database: any DatabaseClient
    let users: UserStore
    let clock: any MarketClock

    struct DeletedBody: ResponseEncodable {
        let id: Int64
        let deleted: Bool
    }

    func register(on routes: inout RouteRegistrar) {
        routes.on(.get, "/api/trading/export") { _, context -> Response in
            let user = try context.requireUser()
            let now = clock.now()
            let document = try await database.withConnection { db in try await UserDataExport.document(userId: user.id, at: now, on: db) }
            guard let document else { throw APIError.notFound("no such user") }
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/json; charset=utf-8",
                    .contentDisposition: "attachment; filename=\"mbt-export-\(user.name).json\"",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: document)))
        }
        routes.on(.delete, "/api/admin/users/{id}") { request, context in
            let admin = try context.requireUser()
            guard admin.isAdmin else { throw APIError.notFound("no route for DELETE \(request.uri.path)") }
            guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else { throw APIError.notFound("no such user") }
            do {
                try await users.delete(userId: id, actor: admin.id, at: clock.now())
            } catch StorageError.notFound {
                throw APIError.notFound("no user with id \(id)")
            }
            return DeletedBody(id: id, deleted: true)
        }
    }
}

import MBTStorage
import Testing

@Suite("DATABASE_URL parsing")
struct DatabaseURLTests {
    @Test func parsesPostgresURLs() throws {
        let url = try DatabaseURL(parsing: "postgres://trader:s%40cret@db.internal:6543/mbt?sslmode=require")
        #expect(
            url
                == .postgres(.init(host: "db.internal", port: 6543, username: "trader", password: "s@cret", database: "mbt", tls: .require))
        )
        #expect(
            try DatabaseURL(parsing: "postgresql://u@localhost/db")
                == .postgres(.init(host: "localhost", username: "u", password: nil, database: "db", tls: .prefer)))
    }

    @Test func parsesSQLiteURLs() throws {
        #expect(try DatabaseURL(parsing: "sqlite:///var/data/mbt.sqlite") == .sqlite(path: "/var/data/mbt.sqlite"))
        #expect(try DatabaseURL(parsing: "sqlite://mbt.sqlite") == .sqlite(path: "mbt.sqlite"))
        #expect(try DatabaseURL(parsing: "sqlite://:memory:") == .sqlite(path: ":memory:"))
    }

    @Test(arguments: [
        ("mysql://u@h/db", "must start with postgres:// or sqlite://"),
        ("sqlite://", "has no path"),
        ("postgres:///db", "has no host"),
        ("postgres://host/db", "has no user name"),
        ("postgres://u@host", "has no database name"),
        ("postgres://u@host:70000/db", "out of range"),
        ("postgres://u@host/db?sslmode=maybe", "sslmode must be"),
        ("postgres://u@host/db?timeout=3", "unknown postgres URL parameter"),
        ("", "must start with"),
    ])
    func rejectsMalformedURLsWithAReason(text: String, reason: String) {
        #expect {
            try DatabaseURL(parsing: text)
        } throws: { error in
            guard case .invalidDatabaseURL(let message) = error as? StorageError else { return false }
            return message.contains(reason)
        }
    }

    @Test(arguments: ["postgres://tr%40der:p%3Ass@db:5433/mbt?sslmode=disable", "sqlite:///tmp/x.sqlite", "sqlite://rel.sqlite"])
    func connectionStringParsesBackToTheSameURL(text: String) throws {
        let url = try DatabaseURL(parsing: text)
        #expect(try DatabaseURL(parsing: url.connectionString) == url)
    }

    @Test func neverPrintsThePassword() throws {
        let url = try DatabaseURL(parsing: "postgres://trader:hunter2@db:5432/mbt")
        #expect(!url.description.contains("hunter2"))
        #expect {
            try DatabaseURL(parsing: "mysql://trader:hunter2@db/mbt")
        } throws: { error in
            !"\(error)".contains("hunter2")
        }
    }
}

import Synchronization

/// The tax books this process holds in memory, by user: a cache of what the database says,
/// never the truth. A book is used only when its version equals the stored one.
///
/// Bounded: past `capacity` users the least recently used book is dropped (it is rebuilt from
/// the user's fills when needed again).
final class TaxBookCache: Sendable {
    private struct Entry {
        var book: TaxBook
        var lastUse: UInt64
    }

    private struct Contents {
        var entries: [Int64: Entry] = [:]
        var clock: UInt64 = 0
    }

    let capacity: Int
    private let contents = Mutex(Contents())

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The user's book if it is at `version` (a book is only useful against the rows it matches).
    func book(of userId: Int64, at version: Int64) -> TaxBook? {
        contents.withLock { contents in
            guard var entry = contents.entries[userId], entry.book.version == version else { return nil }
            contents.clock += 1
            entry.lastUse = contents.clock
            contents.entries[userId] = entry
            return entry.book
        }
    }

    /// Keeps `book` for the user. With `unlessNewer`, a book already held at a higher version
    /// stays (a reader must not push back a book the post-fill hook just installed).
    func install(_ book: TaxBook, for userId: Int64, unlessNewer: Bool = false) {
        contents.withLock { contents in
            if unlessNewer, let held = contents.entries[userId]?.book.version, let version = book.version, held > version { return }
            contents.clock += 1
            contents.entries[userId] = Entry(book: book, lastUse: contents.clock)
            if contents.entries.count > capacity, let oldest = contents.entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
                contents.entries[oldest] = nil
            }
        }
    }

    /// Forgets the user's book (after a write whose outcome is unknown).
    func forget(_ userId: Int64) {
        contents.withLock { $0.entries[userId] = nil }
    }
}

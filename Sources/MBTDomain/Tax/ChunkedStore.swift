/// Append-only storage in fixed-size chunks, for the engine's growing records (dispositions and
/// wash sales): appending never moves what is already stored.
///
/// A plain array doubles and copies itself as it grows; at a million fills that is gigabytes of
/// copying and fresh pages for records that never move otherwise. Chunks of 4096 are allocated
/// once and filled in place; reading an element is two index operations.
public struct ChunkedStore<Element>: RandomAccessCollection {
    private static var shift: Int { 12 }
    private static var chunkSize: Int { 1 << shift }
    private static var mask: Int { chunkSize - 1 }

    private var chunks: [[Element]] = []
    private var storedCount = 0

    public init() {}

    public var startIndex: Int { 0 }
    public var endIndex: Int { storedCount }

    public internal(set) subscript(position: Int) -> Element {
        get {
            precondition(position >= 0 && position < storedCount, "index out of range")
            return chunks[position >> Self.shift][position & Self.mask]
        }
        set {
            precondition(position >= 0 && position < storedCount, "index out of range")
            chunks[position >> Self.shift][position & Self.mask] = newValue
        }
    }

    mutating func append(_ element: Element) {
        if storedCount & Self.mask == 0 {
            var chunk: [Element] = []
            chunk.reserveCapacity(Self.chunkSize)
            chunks.append(chunk)
        }
        chunks[chunks.count - 1].append(element)
        storedCount += 1
    }
}

extension ChunkedStore: Sendable where Element: Sendable {}

extension ChunkedStore: Equatable where Element: Equatable {
    public static func == (lhs: ChunkedStore, rhs: ChunkedStore) -> Bool {
        lhs.storedCount == rhs.storedCount && lhs.elementsEqual(rhs)
    }
}

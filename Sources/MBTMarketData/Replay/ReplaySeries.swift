import Foundation
import MBTDomain

/// Something a replay files under an instant: a quote's timestamp, a bar's start.
protocol ReplayTimed: Sendable {
    var replayInstant: Date { get }
}

extension Quote: ReplayTimed {
    var replayInstant: Date { timestamp }
}

extension Bar: ReplayTimed {
    var replayInstant: Date { start }
}

/// One symbol's recorded items in time order, so every "as of now" question is a binary search
/// rather than a scan of the whole day.
struct ReplaySeries<Element: ReplayTimed>: Sendable {
    /// Ascending by instant; items with equal instants keep the order they were recorded in, so the
    /// last of them is the one that was current.
    let elements: [Element]

    init(_ unsorted: [Element]) {
        // Recordings are usually in time order already: then there is nothing to sort.
        if zip(unsorted, unsorted.dropFirst()).allSatisfy({ $0.replayInstant <= $1.replayInstant }) {
            elements = unsorted
            return
        }
        // Sorting by (instant, position) keeps equal instants in recorded order whatever the sort.
        elements = unsorted.enumerated()
            .sorted { ($0.element.replayInstant, $0.offset) < ($1.element.replayInstant, $1.offset) }
            .map(\.element)
    }

    private init(sorted: [Element]) {
        elements = sorted
    }

    /// The series with only the last item recorded for each instant, for data (bars) where two
    /// items at one instant mean the same thing was recorded twice.
    func keepingLastPerInstant() -> ReplaySeries {
        var kept: [Element] = []
        kept.reserveCapacity(elements.count)
        for element in elements {
            if let last = kept.last, last.replayInstant == element.replayInstant {
                kept[kept.count - 1] = element
            } else {
                kept.append(element)
            }
        }
        return ReplaySeries(sorted: kept)
    }

    /// The index of the first item for which `isPast` holds; `isPast` must be false for a prefix of
    /// the series and true for the rest (it is monotone in time), which is what makes halving valid.
    func firstIndex(where isPast: (Element) -> Bool) -> Int {
        var low = 0
        var high = elements.count
        while low < high {
            let middle = low + (high - low) / 2
            if isPast(elements[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// The last item recorded at or before `instant`.
    func last(atOrBefore instant: Date) -> Element? {
        let end = firstIndex { $0.replayInstant > instant }
        return end > 0 ? elements[end - 1] : nil
    }

    var first: Element? { elements.first }
}

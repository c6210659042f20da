/// One year's realised results: the figures Schedule D and Form 6781 start from.
public struct TaxSummary: Sendable, Equatable {
    /// Totals over a set of dispositions. Section 1256 results are kept apart from the Form 8949
    /// short- and long-term figures and split 60/40; `netShortTerm` and `netLongTerm` combine both.
    public struct Figures: Sendable, Equatable {
        public var proceeds: Decimal6 = .zero
        public var basis: Decimal6 = .zero
        /// Form 8949 Part I (short-term) gains less losses, after wash-sale disallowance.
        public var shortTermGain: Decimal6 = .zero
        /// Form 8949 Part II (long-term).
        public var longTermGain: Decimal6 = .zero
        /// Losses disallowed by wash sales on dispositions in the year.
        public var washSaleDisallowed: Decimal6 = .zero
        /// Form 6781: Section 1256 gains less losses, with their 60 % long-term and 40 % short-term parts.
        public var section1256Gain: Decimal6 = .zero
        public var section1256LongTerm: Decimal6 = .zero
        public var section1256ShortTerm: Decimal6 = .zero

        public init() {}

        public var netShortTerm: Decimal6 { shortTermGain + section1256ShortTerm }
        public var netLongTerm: Decimal6 { longTermGain + section1256LongTerm }
        public var netGain: Decimal6 { netShortTerm + netLongTerm }

        mutating func add(_ disposition: Disposition) {
            proceeds = proceeds + disposition.proceeds
            basis = basis + disposition.basis
            washSaleDisallowed = washSaleDisallowed + disposition.washSaleDisallowed
            if disposition.section1256 {
                section1256Gain = section1256Gain + disposition.gain
                section1256LongTerm = section1256LongTerm + disposition.section1256LongTerm
                section1256ShortTerm = section1256ShortTerm + disposition.section1256ShortTerm
            } else if disposition.term == .long {
                longTermGain = longTermGain + disposition.gain
            } else {
                shortTermGain = shortTermGain + disposition.gain
            }
        }
    }

    public let year: Int
    public let total: Figures
    public let bySymbol: [String: Figures]

    /// The dispositions sold (or marked) in `year`.
    public init(year: Int, dispositions: some Sequence<Disposition>) {
        var total = Figures()
        var bySymbol: [String: Figures] = [:]
        for disposition in dispositions where disposition.sold.year == year {
            total.add(disposition)
            bySymbol[disposition.symbol, default: Figures()].add(disposition)
        }
        self.year = year
        self.total = total
        self.bySymbol = bySymbol
    }
}

extension TaxState {
    /// The realised results of `year`.
    public func summary(year: Int) -> TaxSummary {
        TaxSummary(year: year, dispositions: dispositions)
    }

    /// Dispositions in the order they were closed, the pieces of one event in the order its lot
    /// method picked them (a part split off an earlier disposition when
    /// ``TaxPolicy/closedBeforeLossCanReplace`` is on stays with that disposition's event).
    public var dispositionsInSaleOrder: [Disposition] {
        dispositions.enumerated().sorted { a, b in
            a.element.closedAt != b.element.closedAt ? a.element.closedAt < b.element.closedAt : a.offset < b.offset
        }.map(\.element)
    }
}

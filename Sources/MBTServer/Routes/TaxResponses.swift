import Foundation
import Hummingbird
import MBTDomain
import MBTStorage

/// `GET /api/trading/tax/lots`: every tax lot of the caller, open and closed.
struct TaxLotsBody: ResponseEncodable {
    let lots: [TaxLotBody]

    init(_ rows: TaxRowSet, today: MarketDate) {
        let dispositions = Dictionary(grouping: rows.dispositions.values, by: \.lotKey)
        let absorbed = Dictionary(grouping: rows.washSales.values, by: \.replacementLotKey)
        lots = rows.lots.values.sorted(by: Self.displayOrder).map { lot in
            TaxLotBody(
                lot, dispositions: (dispositions[lot.lotKey] ?? []).sorted { $0.seq < $1.seq },
                absorbed: (absorbed[lot.lotKey] ?? []).sorted { $0.seq < $1.seq }.map {
                    TaxWashSaleBody($0, loss: rows.dispositions[$0.lossDispositionSeq], lots: rows.lots)
                },
                today: today)
        }
    }

    /// By symbol, then acquisition, then the opening fill and the split part.
    private static func displayOrder(_ a: TaxLotRecord, _ b: TaxLotRecord) -> Bool {
        (a.symbol, a.acquired, a.openFillId, part(of: a.lotKey)) < (b.symbol, b.acquired, b.openFillId, part(of: b.lotKey))
    }

    private static func part(of lotKey: String) -> Int {
        lotKey.split(separator: ".").dropFirst().first.flatMap { Int($0) } ?? 0
    }
}

/// One page of the caller's lots in ``TaxLotsBody``'s order; `next_cursor` is the last lot's id
/// while more follow.
struct TaxLotPage: ResponseEncodable {
    let lots: [TaxLotBody]
    let nextCursor: String?

    init(_ all: [TaxLotBody], after cursor: String?, limit: Int) throws {
        var start = all.startIndex
        if let cursor {
            guard let index = all.firstIndex(where: { $0.lotId == cursor }) else {
                throw APIError.validation("after must be the next_cursor of a previous page of your lots")
            }
            start = index + 1
        }
        lots = Array(all[start...].prefix(limit))
        nextCursor = start + lots.count < all.count ? lots.last?.lotId : nil
    }
}

/// A lot: what it held and holds, its basis with the wash-sale losses deferred into it, its
/// holding period, and the pieces sold from it.
struct TaxLotBody: Encodable {
    let lotId: String
    let symbol: String
    let assetClass: AssetClass
    let side: PositionSide
    let status: Status
    let qty: Decimal6
    let remainingQty: Decimal6
    let multiplier: Int64
    let acquired: MarketDate
    let adjustedAcquired: MarketDate
    let costBasis: Decimal6
    let remainingBasis: Decimal6
    let washSaleAdjustment: Decimal6
    let lotMethod: TaxLotMethod?
    let term: TaxDispositionRecord.Term
    let longTermFrom: MarketDate?
    let section1256: Bool
    let closed: MarketDate?
    let openFillId: Int64
    let dispositions: [TaxDispositionBody]
    let washSales: [TaxWashSaleBody]

    enum Status: String, Encodable {
        case open, closed
    }

    enum CodingKeys: String, CodingKey {
        case lotId, symbol, assetClass, side, status, qty, remainingQty, multiplier, acquired, adjustedAcquired, costBasis
        case remainingBasis, washSaleAdjustment, lotMethod, term, longTermFrom, closed, openFillId, dispositions, washSales
        case section1256 = "section_1256"
    }

    init(_ lot: TaxLotRecord, dispositions: [TaxDispositionRecord], absorbed: [TaxWashSaleBody], today: MarketDate) {
        lotId = lot.lotKey
        symbol = lot.symbol
        assetClass = lot.assetClass
        side = lot.side
        status = lot.isOpen ? .open : .closed
        qty = lot.quantity
        remainingQty = lot.remainingQuantity
        multiplier = lot.multiplier
        acquired = lot.acquired
        adjustedAcquired = lot.adjustedAcquired
        costBasis = lot.costBasis
        remainingBasis = lot.remainingBasis
        washSaleAdjustment = lot.washSaleAdjustment
        lotMethod = lot.lotMethod
        let heldLong = lot.isOpen && lot.side == .long && !lot.section1256
        longTermFrom = heldLong ? HoldingPeriod.longTermFrom(acquired: lot.adjustedAcquired) : nil
        term = Self.term(lot, lastSale: dispositions.last, today: today)
        section1256 = lot.section1256
        closed = lot.closed
        openFillId = lot.openFillId
        self.dispositions = dispositions.map(TaxDispositionBody.init)
        washSales = absorbed
    }

    /// Section 1256 for index options; for a closed lot its last sale's term; for an open lot the
    /// term a sale today would have (a short sale's gain is always short-term).
    private static func term(_ lot: TaxLotRecord, lastSale: TaxDispositionRecord?, today: MarketDate) -> TaxDispositionRecord.Term {
        if lot.section1256 { return .section1256 }
        if !lot.isOpen, let term = lastSale?.classification?.term { return term }
        guard lot.side == .long else { return .short }
        return HoldingPeriod.term(acquired: lot.adjustedAcquired, sold: today) == .long ? .long : .short
    }
}

/// A piece of a lot sold (or covered), as Form 8949 reports it.
struct TaxDispositionBody: Encodable {
    let dispositionId: Int64
    let closeFillId: Int64?
    let kind: TaxDispositionRecord.Kind
    let lotMethod: TaxLotMethod
    let qty: Decimal6
    let adjustedAcquired: MarketDate
    let sold: MarketDate
    let proceeds: Decimal6
    let costBasis: Decimal6
    let washSaleAdjustment: Decimal6
    let washSaleDisallowed: Decimal6
    let gain: Decimal6
    let term: TaxDispositionRecord.Term?
    let holdingDays: Int?
    let shortTermGain: Decimal6?
    let longTermGain: Decimal6?
    let taxYear: Int?

    init(_ record: TaxDispositionRecord) {
        dispositionId = record.seq
        closeFillId = record.closeFillId
        kind = record.kind
        lotMethod = record.lotMethod
        qty = record.quantity
        adjustedAcquired = record.adjustedAcquired
        sold = record.disposed
        proceeds = record.proceeds
        costBasis = record.costBasis
        washSaleAdjustment = record.washSaleAdjustment
        washSaleDisallowed = record.washSaleDisallowed
        gain = record.gain
        term = record.classification?.term
        holdingDays = record.classification?.holdingDays
        shortTermGain = record.classification?.shortTermGain
        longTermGain = record.classification?.longTermGain
        taxYear = record.classification?.taxYear
    }
}

/// A loss disallowed by a wash sale and moved into this lot (its replacement).
struct TaxWashSaleBody: Encodable {
    let washSaleId: Int64
    let lossDispositionId: Int64
    let lossLotId: String?
    let lossSymbol: String?
    let lossDate: MarketDate?
    /// Share equivalents matched (a contract counts as 100).
    let qty: Decimal6
    let disallowedLoss: Decimal6
    let holdingDaysCarried: Int

    init(_ record: WashSaleRecord, loss: TaxDispositionRecord?, lots: [String: TaxLotRecord]) {
        washSaleId = record.seq
        lossDispositionId = record.lossDispositionSeq
        lossLotId = loss?.lotKey
        lossSymbol = loss.flatMap { lots[$0.lotKey]?.symbol }
        lossDate = loss?.disposed
        qty = record.quantity
        disallowedLoss = record.disallowedLoss
        holdingDaysCarried = record.holdingDaysCarried
    }
}

/// `GET /api/trading/tax/summary`: one year's realized results, in total and per symbol.
struct TaxSummaryBody: ResponseEncodable {
    let year: Int
    let total: TaxFiguresBody
    let bySymbol: [String: TaxFiguresBody]

    init(_ summary: TaxSummary) {
        year = summary.year
        total = TaxFiguresBody(summary.total)
        bySymbol = summary.bySymbol.mapValues(TaxFiguresBody.init)
    }
}

/// Schedule D and Form 6781 starting figures. Gains are after wash-sale disallowance; Section
/// 1256 results are kept out of the short- and long-term Form 8949 figures and split 60/40.
struct TaxFiguresBody: Encodable {
    let proceeds: Decimal6
    let costBasis: Decimal6
    let shortTermGain: Decimal6
    let longTermGain: Decimal6
    let washSaleDisallowed: Decimal6
    let section1256Gain: Decimal6
    let section1256LongTerm: Decimal6
    let section1256ShortTerm: Decimal6
    let netShortTerm: Decimal6
    let netLongTerm: Decimal6
    let netGain: Decimal6

    enum CodingKeys: String, CodingKey {
        case proceeds, costBasis, shortTermGain, longTermGain, washSaleDisallowed, netShortTerm, netLongTerm, netGain
        case section1256Gain = "section_1256_gain"
        case section1256LongTerm = "section_1256_long_term"
        case section1256ShortTerm = "section_1256_short_term"
    }

    init(_ figures: TaxSummary.Figures) {
        proceeds = figures.proceeds
        costBasis = figures.basis
        shortTermGain = figures.shortTermGain
        longTermGain = figures.longTermGain
        washSaleDisallowed = figures.washSaleDisallowed
        section1256Gain = figures.section1256Gain
        section1256LongTerm = figures.section1256LongTerm
        section1256ShortTerm = figures.section1256ShortTerm
        netShortTerm = figures.netShortTerm
        netLongTerm = figures.netLongTerm
        netGain = figures.netGain
    }
}

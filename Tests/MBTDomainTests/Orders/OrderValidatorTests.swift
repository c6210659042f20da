import MBTDomain
import Testing

@Suite("Order validation")
struct OrderValidatorTests {
    typealias Code = OrderRejection.Code

    static let option = "AAPL261218C00150000"

    static let rejections: [(OrderRequest, Code)] = [
        // Symbols.
        (OrderRequest(symbol: "", side: .buy, quantity: 1, type: .market), Code.invalidSymbol),
        (OrderRequest(symbol: "1ABC", side: .buy, quantity: 1, type: .market), .invalidSymbol),
        (OrderRequest(symbol: "AAPL$", side: .buy, quantity: 1, type: .market), .invalidSymbol),
        (OrderRequest(symbol: "AAPL261318C00150000", side: .buy, quantity: 1, type: .market), .invalidSymbol),
        (OrderRequest(symbol: "AAPL261218C00000000", side: .buy, quantity: 1, type: .market), .invalidSymbol),
        // Quantities.
        (OrderRequest(symbol: "AAPL", side: .buy, quantity: 0, type: .market), .invalidQuantity),
        (OrderRequest(symbol: "AAPL", side: .buy, quantity: -5, type: .market), .invalidQuantity),
        (OrderRequest(symbol: "AAPL", side: .buy, quantity: "10000000.000001", type: .market), .quantityTooLarge),
        (OrderRequest(symbol: option, side: .buy, quantity: 10_001, type: .market), .quantityTooLarge),
        (OrderRequest(symbol: option, side: .buy, quantity: "1.5", type: .market), .fractionalContracts),
        // Limit prices.
        (OrderRequest(symbol: "AAPL", side: .buy, quantity: 1, type: .limit), .missingLimitPrice),
        (OrderRequest(symbol: "AAPL", side: .buy, quantity: 1, type: .market, limitPrice: 10), .unexpectedLimitPrice),
        (OrderRequest(symbol: "AAPL", side: .buy, quantity: 1, type: .limit, limitPrice: 0), .invalidLimitPrice),
        (OrderRequest(symbol: "AAPL", side: .buy, quantity: 1, type: .limit, limitPrice: -1), .invalidLimitPrice),
        (OrderRequest(symbol: "AAPL", side: .buy, quantity: 1, type: .limit, limitPrice: "1000000.01"), .limitPriceTooLarge),
        (OrderRequest(symbol: "AAPL", side: .buy, quantity: 1, type: .limit, limitPrice: "10.005"), .invalidTickSize),
        (OrderRequest(symbol: "AAPL", side: .buy, quantity: 1, type: .limit, limitPrice: "1.0001"), .invalidTickSize),
        (OrderRequest(symbol: "PENNY", side: .buy, quantity: 1, type: .limit, limitPrice: "0.12345"), .invalidTickSize),
        (OrderRequest(symbol: option, side: .buy, quantity: 1, type: .limit, limitPrice: "0.125"), .invalidTickSize),
        // Times in force.
        (OrderRequest(symbol: option, side: .buy, quantity: 1, type: .limit, limitPrice: 2, timeInForce: .gtc), .invalidTimeInForce),
        (OrderRequest(symbol: option, side: .buy, quantity: 1, type: .market, timeInForce: .ioc), .invalidTimeInForce),
        (OrderRequest(symbol: "AAPL", side: .buy, quantity: 1, type: .market, timeInForce: .gtc), .invalidTimeInForce),
        // Client order ids.
        (OrderRequest(symbol: "AAPL", side: .buy, quantity: 1, type: .market, clientOrderId: ""), .invalidClientOrderId),
        (OrderRequest(symbol: "AAPL", side: .buy, quantity: 1, type: .market, clientOrderId: "has space"), .invalidClientOrderId),
        (
            OrderRequest(symbol: "AAPL", side: .buy, quantity: 1, type: .market, clientOrderId: String(repeating: "x", count: 129)),
            .invalidClientOrderId
        ),
    ]

    @Test(arguments: rejections)
    func rejects(request: OrderRequest, code: Code) {
        guard case .failure(let rejection) = OrderValidator.validate(request, limits: .standard) else {
            Issue.record("expected \(code.rawValue) for \(request)")
            return
        }
        #expect(rejection.code == code)
        #expect(!rejection.message.isEmpty)
    }

    /// Every code validation can produce is exercised by the table above.
    @Test func tableCoversEveryValidationCode() {
        // Multi-leg tickets are validated by ComboValidator (its own tests), not by OrderValidator.
        let notFromValidation: Set<Code> = [
            .noUsableQuote, .insufficientBuyingPower, .uncoveredOption, .invalidLegs, .invalidStrategy,
        ]
        #expect(Set(Self.rejections.map(\.1)) == Set(Code.allCases).subtracting(notFromValidation))
    }

    @Test(
        arguments: [
            (OrderRequest(symbol: "aapl", side: .buy, quantity: 1, type: .market), "AAPL", AssetClass.usEquity),
            (OrderRequest(symbol: "BRK.B", side: .sell, quantity: "0.5", type: .market, timeInForce: .ioc), "BRK.B", .usEquity),
            (
                OrderRequest(symbol: "AAPL", side: .buy, quantity: 10_000_000, type: .limit, limitPrice: "187.25", timeInForce: .gtc),
                "AAPL", .usEquity
            ),
            (OrderRequest(symbol: "PENNY", side: .buy, quantity: 1, type: .limit, limitPrice: "0.1234"), "PENNY", .usEquity),
            (
                OrderRequest(symbol: "AAPL", side: .buy, quantity: 1, type: .limit, limitPrice: 1_000_000, timeInForce: .ioc), "AAPL",
                .usEquity
            ),
            (OrderRequest(symbol: option, side: .sell, quantity: 10_000, type: .limit, limitPrice: "2.15"), option, .option),
            (OrderRequest(symbol: option.lowercased(), side: .buy, quantity: 1, type: .market, clientOrderId: "abc-123"), option, .option),
        ])
    func accepts(request: OrderRequest, symbol: String, assetClass: AssetClass) throws {
        let order = try OrderValidator.validate(request, limits: .standard).get()
        #expect(order.symbol == symbol)
        #expect(order.assetClass == assetClass)
        #expect(order.quantity == request.quantity)
        #expect(order.limitPrice == request.limitPrice)
        #expect(order.timeInForce == request.timeInForce)
        #expect(order.clientOrderId == request.clientOrderId)
    }

    @Test func optionOrdersCarryTheContractMultiplier() throws {
        let order = try OrderValidator.validate(OrderRequest(symbol: Self.option, side: .buy, quantity: 2, type: .market)).get()
        #expect(order.instrument.multiplier == 100)
        #expect(order.instrument.optionContract?.strike == 150)
    }

    @Test func customLimitsApply() {
        let limits = OrderLimits(maximumShares: 100, maximumContracts: 1, maximumLimitPrice: 50)
        let tooMany = OrderValidator.validate(OrderRequest(symbol: "AAPL", side: .buy, quantity: 101, type: .market), limits: limits)
        let tooDear = OrderValidator.validate(
            OrderRequest(symbol: "AAPL", side: .buy, quantity: 1, type: .limit, limitPrice: "50.01"), limits: limits)
        #expect(tooMany.failureCode == .quantityTooLarge)
        #expect(tooDear.failureCode == .limitPriceTooLarge)
    }

    @Test func messagesSayWhatToFix() {
        let result = OrderValidator.validate(OrderRequest(symbol: "AAPL", side: .buy, quantity: 1, type: .limit, limitPrice: "10.005"))
        guard case .failure(let rejection) = result else {
            Issue.record("expected a rejection")
            return
        }
        #expect(rejection.message.contains("0.010000"))
        #expect(rejection.description.hasPrefix("invalid_tick_size: "))
    }
}

extension Result where Failure == OrderRejection {
    var failureCode: OrderRejection.Code? {
        if case .failure(let rejection) = self { return rejection.code }
        return nil
    }
}

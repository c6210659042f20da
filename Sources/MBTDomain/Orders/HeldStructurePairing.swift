/// The cheapest pairing of short options with the long options that may cover them
/// (``HeldStructures``): a small min-cost flow, source → shorts → longs → sink.
///
/// Each short can take as many contracts as it holds, each long give as many as it holds; a short
/// and a long are joined when the long covers the short, at the pair's cost per share. Pairs are
/// added a chain at a time along the cheapest path with room left (successive shortest paths; a
/// path may run back along a pair made earlier, moving that short to another long). Path costs
/// only rise, so the first path that does not lower the cost ends the search (`coverAll` false),
/// or the search runs until no path is left (`coverAll` true: as many pairs as possible, the
/// cheapest of those).
enum HeldStructurePairing {
    /// Contracts paired, `[short][long]`.
    static func pair(
        shorts: [Decimal6], longs: [Decimal6], covers: (Int, Int) -> Bool, perShareCost: (Int, Int) -> Decimal6, coverAll: Bool
    ) -> [[Decimal6]] {
        let source = 0
        let sink = shorts.count + longs.count + 1
        func longNode(_ long: Int) -> Int { shorts.count + 1 + long }
        var network = Network(nodes: sink + 1)
        for (short, quantity) in shorts.enumerated() { network.connect(source, short + 1, capacity: quantity, cost: .zero) }
        for (long, quantity) in longs.enumerated() { network.connect(longNode(long), sink, capacity: quantity, cost: .zero) }
        var joins: [[Int?]] = Array(repeating: Array(repeating: nil, count: longs.count), count: shorts.count)
        for short in shorts.indices {
            for long in longs.indices where covers(short, long) {
                joins[short][long] = network.connect(
                    short + 1, longNode(long), capacity: min(shorts[short], longs[long]), cost: perShareCost(short, long))
            }
        }
        while let path = network.cheapestPath(from: source, to: sink), coverAll || path.cost.isNegative {
            network.push(along: path.steps)
        }
        return shorts.indices.map { short in
            longs.indices.map { long in joins[short][long].map { network.flow(from: short + 1, edge: $0) } ?? .zero }
        }
    }

    /// A flow network kept as its residual edges: each edge has a reverse edge holding the flow
    /// sent along it, which a later path can send back.
    struct Network {
        struct Edge {
            let to: Int
            var room: Decimal6
            let cost: Decimal6
            let reverse: Int
            let capacity: Decimal6
        }

        struct Step {
            let node: Int
            let edge: Int
        }

        private(set) var edges: [[Edge]]

        init(nodes: Int) { edges = Array(repeating: [], count: nodes) }

        /// Adds `from → to`; returns its index among `from`'s edges.
        @discardableResult
        mutating func connect(_ from: Int, _ to: Int, capacity: Decimal6, cost: Decimal6) -> Int {
            edges[from].append(Edge(to: to, room: capacity, cost: cost, reverse: edges[to].count, capacity: capacity))
            edges[to].append(Edge(to: from, room: .zero, cost: -cost, reverse: edges[from].count - 1, capacity: .zero))
            return edges[from].count - 1
        }

        /// What has been sent along an edge added by ``connect(_:_:capacity:cost:)``.
        func flow(from node: Int, edge: Int) -> Decimal6 { edges[node][edge].capacity - edges[node][edge].room }

        /// The cheapest path with room on every edge, fewest edges among equally cheap ones
        /// (Bellman–Ford: edge costs may be negative; cycles never are, since every path sent along
        /// was the cheapest).
        func cheapestPath(from source: Int, to sink: Int) -> (cost: Decimal6, steps: [Step])? {
            var best: [(cost: Decimal6, hops: Int)?] = Array(repeating: nil, count: edges.count)
            var via: [Step?] = Array(repeating: nil, count: edges.count)
            best[source] = (.zero, 0)
            for _ in edges.indices {
                var changed = false
                for node in edges.indices {
                    guard let here = best[node] else { continue }
                    for (index, edge) in edges[node].enumerated() where edge.room.isPositive {
                        let candidate = (cost: here.cost + edge.cost, hops: here.hops + 1)
                        if let known = best[edge.to], (known.cost, known.hops) <= (candidate.cost, candidate.hops) { continue }
                        best[edge.to] = candidate
                        via[edge.to] = Step(node: node, edge: index)
                        changed = true
                    }
                }
                if !changed { break }
            }
            guard let end = best[sink] else { return nil }
            var steps: [Step] = []
            var node = sink
            while node != source, let step = via[node] {
                precondition(steps.count < edges.count, "the cheapest paths run in a cycle")
                steps.append(step)
                node = step.node
            }
            return (end.cost, steps.reversed())
        }

        /// Sends as much as the path has room for.
        mutating func push(along steps: [Step]) {
            let amount = steps.map { edges[$0.node][$0.edge].room }.min() ?? .zero
            for step in steps {
                edges[step.node][step.edge].room = edges[step.node][step.edge].room - amount
                let edge = edges[step.node][step.edge]
                edges[edge.to][edge.reverse].room = edges[edge.to][edge.reverse].room + amount
            }
        }
    }
}

import PlantModel

extension LineMetrics {
    /// Market-based Scope 2 (tCO2e) and renewable share of consumption for a period from `edges.0` to
    /// `edges.1`, allocating this line's instruments of the months it overlaps. Both carry the quality of
    /// the electricity (and on-site generation) totals they come from.
    func marketBased(_ purchased: Tally, onsite: Tally, market: MarketBasedFactors, edges: (Int64, Int64)) -> (Tally, MetricValue) {
        let supplies = layout.instruments.map {
            Scope2Allocation.Supply(kwh: $0.availableKWh(from: edges.0, to: edges.1), kgCO2ePerKWh: $0.instrument.kgCO2ePerKWh, renewable: $0.instrument.renewable)
        }
        let allocation = Scope2Allocation(purchasedKWh: purchased.sum, onsiteKWh: layout.onsite.isEmpty ? 0 : onsite.sum,
                                          supplies: supplies, residualKgCO2ePerKWh: market.residual.value)
        // Scale the purchased total so that coverage, estimated share and quality carry over to the result.
        let kgPerKWh = purchased.sum > 0 ? allocation.kgCO2e / purchased.sum : market.residual.value
        let mb = purchased.scaled(kgPerKWh / 1000)
        let consumed = layout.onsite.isEmpty ? purchased : purchased + onsite
        var renewable = consumed
        renewable.sum = allocation.renewableKWh
        return (mb, renewable.ratio(over: consumed, minimum: 0, settings))
    }
}

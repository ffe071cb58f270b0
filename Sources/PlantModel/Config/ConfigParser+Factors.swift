import Yams

extension ConfigParser {
    func parseFactors(_ node: Node, _ path: String) -> FactorsConfig? {
        guard let fields = reader.mapping(node, path, allowed: ["gwp", "grid", "market", "fuels"]) else { return nil }
        var factors = FactorsConfig()
        if let gwp = fields.choice("gwp", what: "GWP set", from: ["AR4", "AR5", "AR6"]) { factors.gwp = gwp }
        if let grid = fields.required("grid", example: "{id: kz-ember-2024, kgco2e_per_kwh: 0.8, source: Ember 2024}") {
            factors.grid = parseFactor(grid, fields.path("grid"), valueKey: "kgco2e_per_kwh", unit: "kgCO2e/kWh") ?? factors.grid
        }
        if let market = fields["market"] { factors.market = parseMarket(market, fields.path("market")) }
        if let fuels = fields["fuels"], case .mapping(let mapping) = fuels {
            for (key, value) in mapping {
                guard let name = reader.string(key, fields.path("fuels")) else { continue }
                let fuelPath = fields.path("fuels") + "." + name
                reader.source.record(fuelPath, line: ConfigReader.line(key))
                if let factor = parseFactor(value, fuelPath, valueKey: "kgco2e_per_gj", unit: "kgCO2e/GJ") {
                    factors.fuels[name] = factor
                } else {
                    reader.damage.markBroken("fuel", name)
                }
            }
        } else if let fuels = fields["fuels"] {
            reader.damage.markBroken("fuel", nil)
            reader.error(fuels, fields.path("fuels"), "expected a mapping of fuel name to factor, e.g. `natural_gas: {id: ipcc2006-ng, kgco2e_per_gj: 56.15, source: IPCC 2006}`")
        }
        return factors
    }

    func parseFactor(_ node: Node, _ path: String, valueKey: String, unit: String) -> EmissionFactor? {
        guard let fields = reader.mapping(node, path, allowed: ["id", "source", "vintage", valueKey]) else { return nil }
        let id = fields.requiredString("id", example: "kz-ember-2024")
        let value = fields.requiredDouble(valueKey, example: "0.8")
        let source = fields.requiredString("source", example: "\"Ember 2024\"")
        let vintage = fields.int("vintage", in: 1990...2100)
        if let value, value < 0 { reader.error(fields[valueKey], fields.path(valueKey), "a factor cannot be negative") }
        guard let id, let value, let source else { return nil }
        return EmissionFactor(id: id, value: value, unit: unit, source: source, vintage: vintage)
    }

    /// `factors.market`: a flat instrument share, or per-month `instruments` on the site's `market`; the residual mix either way.
    func parseMarket(_ node: Node, _ path: String) -> MarketBasedFactors? {
        let keys = ["instrument_share", "instrument", "residual", "market", "instruments"]
        guard let fields = reader.mapping(node, path, allowed: keys) else { return nil }
        let residual = fields.required("residual", example: "{id:, kgco2e_per_kwh:, source:}")
            .flatMap { parseFactor($0, fields.path("residual"), valueKey: "kgco2e_per_kwh", unit: "kgCO2e/kWh") }
        if let list = fields["instruments"] {
            for key in ["instrument_share", "instrument"] where fields[key] != nil {
                reader.error(fields[key], fields.path(key), "\(key) and instruments exclude each other: instruments allocate the covered kWh per month; remove \(key)")
            }
            let market = fields.requiredString("market", example: "CL-SEN")
            let instruments = parseInstruments(list, fields.path("instruments"), siteMarket: market)
            guard let residual else { return nil }
            return MarketBasedFactors(instrumentShare: 0, instrument: residual, residual: residual, market: market, instruments: instruments)
        }
        let share = fields.requiredDouble("instrument_share", example: "0.0")
        if let share, !(0...1).contains(share) {
            reader.error(fields["instrument_share"], fields.path("instrument_share"), "a share must be 0…1, found \(share)")
        }
        let instrument = fields.required("instrument", example: "{id:, kgco2e_per_kwh:, source:}")
            .flatMap { parseFactor($0, fields.path("instrument"), valueKey: "kgco2e_per_kwh", unit: "kgCO2e/kWh") }
        guard let share, let instrument, let residual else { return nil }
        return MarketBasedFactors(instrumentShare: share, instrument: instrument, residual: residual, market: fields.string("market"))
    }
}

/// Site-wide settings the metric engine needs: time zone, shifts, demand interval and factors.
public struct SiteDefinition: Sendable, Hashable {
    public var id: String
    /// IANA time zone identifier, e.g. `Asia/Almaty`, `Europe/Berlin`.
    public var timeZone: String
    /// Shift start times in local time, minutes after midnight, ascending (e.g. [360, 1080] for 06:00 and 18:00).
    /// A shift crossing midnight belongs to its start date. Empty: no shift periods.
    public var shiftStarts: [Int]
    /// Block demand interval in minutes (15, 30 or 60).
    public var demandIntervalMinutes: Int
    public var factors: EmissionFactors

    public init(id: String, timeZone: String, shiftStarts: [Int] = [], demandIntervalMinutes: Int = 15, factors: EmissionFactors) {
        self.id = id
        self.timeZone = timeZone
        self.shiftStarts = shiftStarts
        self.demandIntervalMinutes = demandIntervalMinutes
        self.factors = factors
    }
}

/// A versioned emission factor: never a bare constant (metrics.md §3.3).
public struct EmissionFactor: Sendable, Hashable {
    public var id: String
    public var value: Double
    /// E.g. `kgCO2e/kWh`, `kgCO2e/GJ`.
    public var unit: String
    public var source: String
    public var vintage: Int?

    public init(id: String, value: Double, unit: String, source: String, vintage: Int? = nil) {
        self.id = id
        self.value = value
        self.unit = unit
        self.source = source
        self.vintage = vintage
    }
}

/// The factors in force for a site.
public struct EmissionFactors: Sendable, Hashable {
    /// Location-based grid factor, kgCO2e/kWh.
    public var grid: EmissionFactor
    /// Market-based: share of imported kWh covered by contractual instruments (0…1), their factor and the residual mix.
    public var market: MarketBasedFactors?
    /// Fuel combustion factors by fuel id, kgCO2e per GJ (NCV).
    public var fuels: [String: EmissionFactor]
    /// GWP set, e.g. `AR5` or `AR6`.
    public var gwpSet: String

    public init(grid: EmissionFactor, market: MarketBasedFactors? = nil, fuels: [String: EmissionFactor] = [:], gwpSet: String = "AR6") {
        self.grid = grid
        self.market = market
        self.fuels = fuels
        self.gwpSet = gwpSet
    }
}

/// Market-based Scope 2 inputs (GHG Protocol Scope 2 Guidance).
public struct MarketBasedFactors: Sendable, Hashable {
    public var instrumentShare: Double
    public var instrument: EmissionFactor
    public var residual: EmissionFactor
    /// The site's market boundary, e.g. `CL-SEN` (required with `instruments`).
    public var market: String?
    /// Per-month instruments by line; when present they replace `instrumentShare`/`instrument`:
    /// closed periods allocate them and the residual mix covers the rest.
    public var instruments: [ContractualInstrument]

    public init(instrumentShare: Double, instrument: EmissionFactor, residual: EmissionFactor, market: String? = nil,
                instruments: [ContractualInstrument] = []) {
        self.instrumentShare = instrumentShare
        self.instrument = instrument
        self.residual = residual
        self.market = market
        self.instruments = instruments
    }
}

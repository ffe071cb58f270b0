/// A contractual instrument covering part of one line's electricity in one calendar month (GHG Protocol
/// Scope 2 Guidance, market-based method): a PPA, guarantees of origin, I-RECs, RECs or a green tariff.
public struct ContractualInstrument: Sendable, Hashable {
    public var id: String
    /// `ppa`, `go`, `irec`, `rec` or `green_tariff`.
    public var kind: String
    /// The line whose consumption it covers: an instrument is claimed once, by one line.
    public var line: String
    /// The site-local calendar month it was generated and is claimed for.
    public var year: Int
    public var month: Int
    /// The market (grid) boundary it was issued in, e.g. `CL-SEN`; must be the site's.
    public var market: String
    public var mwh: Double
    /// Its emission factor, kgCO2e/kWh (0 for renewable generation).
    public var kgCO2ePerKWh: Double
    /// Whether its energy counts as renewable (the renewable share of consumption).
    public var renewable: Bool
    /// Certificate ids (GO, I-REC…): each may be claimed once in the whole configuration.
    public var certificates: [String]

    public init(id: String, kind: String, line: String, year: Int, month: Int, market: String, mwh: Double,
                kgCO2ePerKWh: Double, renewable: Bool, certificates: [String]) {
        self.id = id
        self.kind = kind
        self.line = line
        self.year = year
        self.month = month
        self.market = market
        self.mwh = mwh
        self.kgCO2ePerKWh = kgCO2ePerKWh
        self.renewable = renewable
        self.certificates = certificates
    }

    /// `2026-03`.
    public var monthLabel: String { "\(year)-" + (month < 10 ? "0" : "") + "\(month)" }

    /// The kinds accepted in plantgate.yaml.
    public static let kinds = ["ppa", "go", "irec", "rec", "green_tariff"]
}

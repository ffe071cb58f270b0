/// What the metric engine needs to know about one process line: which tags feed it and in which role.
///
/// Built by the configuration loader from `lines:` in plantgate.yaml; consumed by the ESG engine.
/// All quantities the engine sees are in base units (see `InputRole.baseUnit`): the loader folds
/// each tag's own unit into `LineInput.toBase`.
public struct LineDefinition: Sendable, Hashable {
    public var id: String
    public var name: String
    public var product: ProductBasis
    public var inputs: [LineInput]
    /// An electrowinning line's tankhouse (its DC inputs are among `inputs`); nil for any other line.
    public var electrowinning: ElectrowinningSpec?
    /// The energy baseline its day or shift records are judged against (EnPI, savings, CUSUM); nil: none.
    public var baseline: BaselineSpec?

    public init(id: String, name: String, product: ProductBasis, inputs: [LineInput], electrowinning: ElectrowinningSpec? = nil,
                baseline: BaselineSpec? = nil) {
        self.id = id
        self.name = name
        self.product = product
        self.inputs = inputs
        self.electrowinning = electrowinning
        self.baseline = baseline
    }
}

/// The product a line makes and how its mass is stated.
public struct ProductBasis: Sendable, Hashable {
    /// E.g. `LiOH·H2O`, `Li2CO3`, `Cu cathode`.
    public var name: String
    /// t LCE per t product (LiOH·H2O 0.8804, Li2CO3 1.0); nil when LCE does not apply (copper).
    public var lceFactor: Double?
    /// Below this many tonnes in a window, per-tonne intensities are suppressed (`bad`, no value).
    public var minimumTonnes: Double

    public init(name: String, lceFactor: Double?, minimumTonnes: Double) {
        self.name = name
        self.lceFactor = lceFactor
        self.minimumTonnes = minimumTonnes
    }
}

/// One tag's contribution to a line.
public struct LineInput: Sendable, Hashable {
    public var tag: TagIndex
    /// `device/tag`, for period records and traceability.
    public var tagPath: String
    public var role: InputRole
    /// Multiply the tag's engineering value by this to get the role's base unit (Wh → kWh: 0.001).
    public var toBase: Double
    /// Counter behaviour; nil for instantaneous values (power, flow rate).
    public var counter: CounterSpec?
    /// Fuel properties, for `.gasVolume` only.
    public var fuel: FuelSpec?
    /// Level → volume table (levels in m after `toBase`), for `.storageLevel` only.
    public var strapping: StrappingTable?

    public init(tag: TagIndex, tagPath: String, role: InputRole, toBase: Double = 1, counter: CounterSpec? = nil, fuel: FuelSpec? = nil,
                strapping: StrappingTable? = nil) {
        self.tag = tag
        self.tagPath = tagPath
        self.role = role
        self.toBase = toBase
        self.counter = counter
        self.fuel = fuel
        self.strapping = strapping
    }
}

/// How a tag feeds a line's metrics.
public enum InputRole: Sendable, Hashable {
    /// Active energy import counter (base unit kWh).
    case electricityImport
    /// Active energy export counter (kWh).
    case electricityExport
    /// Total active power, import positive (kW). Used for `power_kw` and, without an import counter, integrated.
    case activePower
    /// Reactive energy import counter (kvarh).
    case reactiveImport
    /// Apparent energy import counter (kVAh); when present PF = kWh/kVAh.
    case apparentImport
    /// Fuel gas volume counter at reference conditions (Nm3).
    case gasVolume
    /// Water drawn into the boundary (m3 counter).
    case waterWithdrawal(source: WaterSource, quality: WaterQualityClass)
    /// Water leaving the boundary (m3 counter).
    case waterDischarge(destination: WaterSource, quality: WaterQualityClass)
    /// Water recycled or reused within the boundary (m3 counter); never also a withdrawal.
    case waterRecycle
    /// Product mass counter (t).
    case product
    /// Level of a pond or tank (m), turned into stored volume by the input's strapping table; a
    /// state, not a counter: the storage change of a period is V(level at end) − V(level at start).
    case storageLevel
    /// On-site renewable generation consumed within the boundary (kWh counter: a PV or wind meter, a
    /// SunSpec inverter's AC energy): renewable consumption in the market-based Scope 2.
    case onsiteGeneration
    /// Electrowinning rectifier DC current (A), integrated to ampere-hours.
    case dcCurrent
    /// Electrowinning rectifier DC voltage (V): with the DC current, integrated to DC energy (V × I).
    case dcVoltage
    /// Electrowinning rectifier DC energy counter (kWh).
    case dcEnergy
    /// Electrowinning cathode harvest mass counter (t).
    case cathode
    /// Electrowinning harvests completed (a PLC's or the cathode scale's count): each step ends a harvest
    /// cycle, whose current efficiency is then closed into a `harvest` record.
    case harvestCount

    /// The unit the engine works in for this role.
    public var baseUnit: String {
        switch self {
        case .electricityImport, .electricityExport: "kWh"
        case .activePower: "kW"
        case .reactiveImport: "kvarh"
        case .apparentImport: "kVAh"
        case .gasVolume: "Nm3"
        case .waterWithdrawal, .waterDischarge, .waterRecycle: "m3"
        case .product: "t"
        case .storageLevel: "m"
        case .onsiteGeneration: "kWh"
        case .dcCurrent: "A"
        case .dcVoltage: "V"
        case .dcEnergy: "kWh"
        case .cathode: "t"
        case .harvestCount: "1"
        }
    }
}

/// GRI 303 source and destination classes.
public enum WaterSource: String, Sendable, Hashable, CaseIterable, Codable {
    case surface, groundwater, seawater, produced
    case thirdParty = "third_party"
}

/// GRI 303 quality split: freshwater is ≤ 1,000 mg/L total dissolved solids.
public enum WaterQualityClass: String, Sendable, Hashable, CaseIterable, Codable {
    case fresh, other
}

/// How a counter behaves, for the delta algorithm of metrics.md §5.1.
public struct CounterSpec: Sendable, Hashable {
    /// The value at which the counter wraps to zero, in base units (e.g. 2^32 × scale); nil if it never wraps.
    public var modulus: Double?
    /// The largest plausible rate in base units per hour (P_max); a larger step is a JUMP.
    public var maxRatePerHour: Double
    /// Tag index of a reset marker (e.g. Schneider's reset date/time register), if configured.
    public var resetMarker: TagIndex?

    public init(modulus: Double?, maxRatePerHour: Double, resetMarker: TagIndex? = nil) {
        self.modulus = modulus
        self.maxRatePerHour = maxRatePerHour
        self.resetMarker = resetMarker
    }
}

/// Properties of a fuel gas.
public struct FuelSpec: Sendable, Hashable {
    /// Fuel id, referring to `factors.fuels` (e.g. `natural_gas`).
    public var fuel: String
    /// Net calorific value, MJ per Nm3.
    public var ncvMJPerNm3: Double

    public init(fuel: String, ncvMJPerNm3: Double) {
        self.fuel = fuel
        self.ncvMJPerNm3 = ncvMJPerNm3
    }
}

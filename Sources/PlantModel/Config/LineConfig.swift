/// `lines[]`: one process line and the tags that feed its metrics.
public struct LineConfig: Sendable, Hashable {
    public var id: String
    public var name: String
    public var product: ProductBasis
    public var inputs: [InputConfig]
    /// `electrowinning: {metal, cells, current, energy | voltage, cathode}`; its tags are in `inputs`
    /// with the DC and cathode roles, after the written inputs.
    public var electrowinning: ElectrowinningSpec?
    /// `baseline: {period, model: FILE | intercept, variables}`: the energy baseline its day or shift records are judged against.
    public var baseline: BaselineSpec?

    public init(id: String, name: String, product: ProductBasis, inputs: [InputConfig], electrowinning: ElectrowinningSpec? = nil,
                baseline: BaselineSpec? = nil) {
        self.id = id
        self.name = name
        self.product = product
        self.inputs = inputs
        self.electrowinning = electrowinning
        self.baseline = baseline
    }
}

/// `lines[].inputs[]`: a tag path and its role.
public struct InputConfig: Sendable, Hashable {
    /// `device/tag`.
    public var tag: String
    public var role: InputRole
    /// For `gas_volume`.
    public var fuel: FuelSpec?
    /// For `storage_level`: `[level m, volume m3]` pairs as written in the file.
    public var strapping: StrappingTable?

    public init(tag: String, role: InputRole, fuel: FuelSpec? = nil, strapping: StrappingTable? = nil) {
        self.tag = tag
        self.role = role
        self.fuel = fuel
        self.strapping = strapping
    }
}

extension InputRole {
    /// The role's name in plantgate.yaml.
    public var configName: String {
        switch self {
        case .electricityImport: "electricity_import"
        case .electricityExport: "electricity_export"
        case .activePower: "active_power"
        case .reactiveImport: "reactive_import"
        case .apparentImport: "apparent_import"
        case .gasVolume: "gas_volume"
        case .waterWithdrawal: "water_withdrawal"
        case .waterDischarge: "water_discharge"
        case .waterRecycle: "water_recycle"
        case .product: "product"
        case .storageLevel: "storage_level"
        case .onsiteGeneration: "onsite_generation"
        case .dcCurrent: "electrowinning.current"
        case .dcVoltage: "electrowinning.voltage"
        case .dcEnergy: "electrowinning.energy"
        case .cathode: "electrowinning.cathode"
        case .harvestCount: "electrowinning.harvests"
        }
    }

    /// Every role name accepted in plantgate.yaml.
    public static let configNames = [
        "electricity_import", "electricity_export", "active_power", "reactive_import", "apparent_import",
        "gas_volume", "water_withdrawal", "water_discharge", "water_recycle", "product", "storage_level", "onsite_generation",
    ]

    /// Whether the role reads an accumulating counter whose deltas are totals (all but `active_power`,
    /// `storage_level`, the DC gauges and the harvest count, whose steps are events).
    public var isCounter: Bool { ![.activePower, .storageLevel, .dcCurrent, .dcVoltage, .harvestCount].contains(self) }

    /// Whether the role is written in a line's `electrowinning:` block rather than in `inputs:`.
    public var isElectrowinning: Bool { [.dcCurrent, .dcVoltage, .dcEnergy, .cathode, .harvestCount].contains(self) }
}

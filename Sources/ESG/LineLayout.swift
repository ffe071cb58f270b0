import PlantModel

/// A line's inputs grouped by role as global input indices, with the factors the metrics use.
/// Built once at engine init so deriving metrics never searches or hashes.
struct LineLayout: Sendable {
    struct Fuel: Sendable {
        var input: Int
        var ncvMJPerNm3: Double
        /// kgCO2e/GJ, nil when the site has no factor for this fuel.
        var factor: EmissionFactor?
    }

    /// A pond or tank: its level input and level → volume table (nil: none given, its change is bad).
    struct Storage: Sendable {
        var input: Int
        var table: StrappingTable?
    }

    struct WaterClass: Sendable {
        var metricID: String
        var inputs: [Int]
    }

    let id: String
    let product: ProductBasis
    let inputs: Range<Int>
    var imports: [Int] = []
    var exports: [Int] = []
    var power: [Int] = []
    var reactive: [Int] = []
    var apparent: [Int] = []
    var fuels: [Fuel] = []
    var withdrawal: [Int] = []
    var discharge: [Int] = []
    var recycle: [Int] = []
    var products: [Int] = []
    var storages: [Storage] = []
    var withdrawalClasses: [WaterClass] = []
    var dischargeClasses: [WaterClass] = []
    /// On-site renewable generation counters (kWh).
    var onsite: [Int] = []
    /// The contractual instruments claimed by this line, with their month's span.
    var instruments: [ScheduledInstrument] = []
    /// Electrowinning: the tankhouse, rectifier DC current (A), DC voltage (its totals: DC kWh of V × I),
    /// DC energy counters (kWh) and cathode harvest counters (t).
    var electrowinning: ElectrowinningSpec?
    var dcCurrent: [Int] = []
    var dcVoltage: [Int] = []
    var dcEnergy: [Int] = []
    var cathodes: [Int] = []
    /// The harvest count whose steps end harvest cycles (at most one).
    var harvests: [Int] = []

    /// Energy behind `electricity_import_kwh`: the import counters, or integrated power without them.
    var importSource: [Int] { imports.isEmpty ? power : imports }

    init(line: LineDefinition, firstInput: Int, factors: EmissionFactors) {
        id = line.id
        product = line.product
        inputs = firstInput..<(firstInput + line.inputs.count)
        electrowinning = line.electrowinning
        for (offset, input) in line.inputs.enumerated() {
            let g = firstInput + offset
            switch input.role {
            case .electricityImport: imports.append(g)
            case .electricityExport: exports.append(g)
            case .activePower: power.append(g)
            case .reactiveImport: reactive.append(g)
            case .apparentImport: apparent.append(g)
            case .gasVolume:
                let fuel = input.fuel
                fuels.append(Fuel(input: g, ncvMJPerNm3: fuel?.ncvMJPerNm3 ?? .nan, factor: fuel.flatMap { factors.fuels[$0.fuel] }))
            case .waterWithdrawal(let source, let quality):
                withdrawal.append(g)
                Self.add(g, to: &withdrawalClasses, id: "water_withdrawal_m3.\(source.rawValue).\(quality.rawValue)")
            case .waterDischarge(let destination, let quality):
                discharge.append(g)
                Self.add(g, to: &dischargeClasses, id: "water_discharge_m3.\(destination.rawValue).\(quality.rawValue)")
            case .waterRecycle: recycle.append(g)
            case .product: products.append(g)
            case .storageLevel: storages.append(Storage(input: g, table: input.strapping))
            case .onsiteGeneration: onsite.append(g)
            case .dcCurrent: dcCurrent.append(g)
            case .dcVoltage: dcVoltage.append(g)
            case .dcEnergy: dcEnergy.append(g)
            case .cathode: cathodes.append(g)
            case .harvestCount: harvests.append(g)
            }
        }
    }

    private static func add(_ g: Int, to classes: inout [WaterClass], id: String) {
        if let i = classes.firstIndex(where: { $0.metricID == id }) {
            classes[i].inputs.append(g)
        } else {
            classes.append(WaterClass(metricID: id, inputs: [g]))
        }
    }
}

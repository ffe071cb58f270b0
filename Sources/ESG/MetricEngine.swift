import PlantModel

/// The ESG metric engine of one site: turns samples into live metric values and closed period records.
///
/// Pure and single-threaded: the owner feeds samples with `ingest` (O(1), allocation-free once
/// running) and calls `advance(to:)` with the current time to close rolling bins and calendar periods.
/// No I/O; Foundation's calendar is touched only when a period boundary is computed.
public struct MetricEngine: Sendable {
    enum InputKind: UInt8, Sendable {
        case counter, power, level
        /// An electrowinning rectifier's DC voltage: held, and integrated with its current's readings (V × I).
        case voltage
        /// An electrowinning line's harvest count: its steps end harvest cycles (`HarvestCycle`).
        case harvest
    }

    /// The last good reading of a power or level input.
    struct PowerState: Sendable {
        var hasLast = false
        var last: Double = 0
        var lastMono: Int64 = 0
        var lastWall: Int64 = 0
        var lastQuality: Quality = .bad
    }

    public let site: SiteDefinition
    public let settings: EngineSettings
    let calendar: PeriodCalendar
    let layouts: [LineLayout]
    let deriver: [LineMetrics]
    let recordFactors: [[PeriodRecord.FactorUse]]
    /// The lines as configured (tag indexes blanked), to tell on a reload which ones changed.
    let lineDefinitions: [LineDefinition]
    let routes: TagRoutes
    /// Per global input (lines' inputs laid end to end).
    let kind: ContiguousArray<InputKind>
    let toBase: ContiguousArray<Double>
    let modulus: ContiguousArray<Double>
    let maxRatePerHour: ContiguousArray<Double>
    let inputKeys: [String]
    let tagPaths: [String]
    let units: [String]
    let inputCount: Int
    /// Per input: for an electrowinning DC current, the index of the DC voltage it is multiplied with; −1 otherwise.
    let dcVoltageOf: ContiguousArray<Int32>
    /// Calendar kinds by index: hour, day, shift, demand block, month, 15 min; two slots each (current,
    /// next). A new kind goes at the end, so snapshots taken before it existed still restore (see `restore`).
    static let kinds: [PeriodKind] = [.hour, .day, .shift, .demandBlock, .month, .quarterHour]
    /// Index of the demand block in `kinds`, and the order periods close in (blocks first, so a
    /// block ending with a day counts into that day's peak; longer periods after shorter ones).
    static let blockKind = 3
    static let closingOrder = [3, 5, 0, 2, 1, 4]
    /// Index of the 15-min record in `kinds`. It and the demand block wait at most a quarter of their
    /// length after their end before closing, so that a close delay scaled up for an accelerated plant
    /// clock (40 plant minutes at 480×) never lets readings run past the next one, which would shift
    /// totals between them (and leave every block short). On the real clock the delay (seconds) is far below.
    static let quarterKind = 5
    let kindActive: [Bool]

    var counters: ContiguousArray<CounterState>
    /// Last good reading per input: power inputs (trapezoid) and level inputs (edge interpolation).
    var power: ContiguousArray<PowerState>
    /// Per DC current input: the last DC power (kW, V × I) integrated into its voltage input's totals.
    var dcPower: ContiguousArray<PowerState>
    var spans: [PeriodSpan]
    var spanStart: ContiguousArray<Int64>
    var spanEnd: ContiguousArray<Int64>
    var totals: ContiguousArray<InputTotals>
    /// Highest qualifying block demand per slot and line (NaN: none yet), and how many blocks qualified.
    var peaks: ContiguousArray<Double>
    var peakBlocks: ContiguousArray<Int32>
    /// Last seq handed out per calendar kind and line.
    var seqs: ContiguousArray<UInt64>
    var ring1m: RollingRing
    var ring15m: RollingRing
    var lastLiveMono: Int64 = .min
    /// Reasons that concern a whole line (CONFIG) per slot and line, span-major like `peaks`.
    var lineReasons: ContiguousArray<ReasonSet>
    /// The configuration revision a reload brought in; stamped on records with reason CONFIG.
    public internal(set) var configRevision: String?
    /// Per line: its energy baseline (nil: none) and the CUSUM of savings against it so far.
    let baselines: [BaselineSpec?]
    var cusums: ContiguousArray<Double>
    /// Per line: its harvest cycle under way (nil: a line without a harvest count).
    var harvests: [HarvestCycle?]
    /// Per input: the line whose harvest cycle it belongs to (its harvest count, DC and cathode inputs), −1 otherwise.
    let harvestLineOf: ContiguousArray<Int32>
    /// Records of cycles a second harvest ended before their close delay passed, handed out at the next `advance`.
    var pendingHarvests: [PeriodRecord] = []

    /// Builds the engine for `lines` of `site`, with the calendar periods that contain `start`.
    /// Throws when the site's time zone, demand interval or shifts are unusable.
    public init(site: SiteDefinition, lines: [LineDefinition], settings: EngineSettings = EngineSettings(), start: Instant) throws(ESGConfigurationError) {
        self.site = site
        self.settings = settings
        calendar = try PeriodCalendar(site: site)
        var layouts: [LineLayout] = []
        var kind = ContiguousArray<InputKind>(), toBase = ContiguousArray<Double>()
        var modulus = ContiguousArray<Double>(), maxRate = ContiguousArray<Double>()
        var keys: [String] = [], paths: [String] = [], units: [String] = []
        var pairs: [(tag: TagIndex, target: Int32)] = []
        for line in lines {
            layouts.append(LineLayout(line: line, firstInput: kind.count, factors: site.factors))
            for input in line.inputs {
                let g = Int32(kind.count)
                kind.append(Self.kind(of: input.role))
                toBase.append(input.toBase)
                modulus.append(input.counter?.modulus ?? 0)
                maxRate.append(input.counter?.maxRatePerHour ?? .infinity)
                keys.append(line.id + "|" + input.tagPath + "|" + input.role.baseUnit)
                paths.append(input.tagPath)
                units.append(input.role.baseUnit)
                pairs.append((input.tag, g))
                if let marker = input.counter?.resetMarker { pairs.append((marker, -(g + 1))) }
            }
        }
        for l in layouts.indices { layouts[l].instruments = Self.schedule(site.factors.market?.instruments ?? [], line: layouts[l].id, calendar: calendar) }
        self.layouts = layouts
        deriver = layouts.map { LineMetrics(layout: $0, factors: site.factors, settings: settings) }
        lineDefinitions = lines.map(Self.definitionWithoutTags)
        baselines = lines.map(\.baseline)
        cusums = ContiguousArray(repeating: 0, count: lines.count)
        recordFactors = zip(lines, layouts).map { Self.factorUses(site: site, line: $0.0, layout: $0.1) }
        routes = TagRoutes(pairs: pairs)
        self.kind = kind
        self.toBase = toBase
        self.modulus = modulus
        self.maxRatePerHour = maxRate
        inputKeys = keys
        tagPaths = paths
        self.units = units
        inputCount = kind.count
        dcVoltageOf = Self.dcPairs(layouts, count: kind.count)
        dcPower = ContiguousArray(repeating: PowerState(), count: kind.count)
        let hasShifts = calendar.hasShifts
        let kindActive = Self.kinds.map { $0 != .shift || hasShifts }
        self.kindActive = kindActive
        counters = ContiguousArray(repeating: CounterState(), count: inputCount)
        power = ContiguousArray(repeating: PowerState(), count: inputCount)
        var spans: [PeriodSpan] = []
        for (k, active) in zip(Self.kinds, kindActive) {
            let current = active ? calendar.span(k, containing: start.wallNanos) : PeriodSpan(start: .min, end: .max, label: "")
            spans.append(current)
            spans.append(active ? calendar.span(k, after: current) : current)
        }
        self.spans = spans
        spanStart = ContiguousArray(spans.map(\.start))
        spanEnd = ContiguousArray(spans.map(\.end))
        totals = ContiguousArray(repeating: InputTotals(), count: spans.count * inputCount)
        peaks = ContiguousArray(repeating: .nan, count: spans.count * lines.count)
        peakBlocks = ContiguousArray(repeating: 0, count: spans.count * lines.count)
        lineReasons = ContiguousArray(repeating: [], count: spans.count * lines.count)
        seqs = ContiguousArray(repeating: 0, count: Self.kinds.count * lines.count)
        ring1m = RollingRing(binNanos: 1_000_000_000, count: 60, inputs: inputCount, lagNanos: settings.liveLagNanos)
        ring15m = RollingRing(binNanos: 15_000_000_000, count: 60, inputs: inputCount, lagNanos: settings.liveLagNanos)
        harvests = layouts.map { $0.harvests.isEmpty ? nil : HarvestCycle(inputs: $0.inputs.count) }
        harvestLineOf = Self.harvestLines(layouts, count: inputCount)
        try checkBaselines()
    }

    static func kind(of role: InputRole) -> InputKind {
        switch role {
        case .activePower, .dcCurrent: .power
        case .storageLevel: .level
        case .dcVoltage: .voltage
        case .harvestCount: .harvest
        default: .counter
        }
    }

    /// Each electrowinning line's DC current paired with its DC voltage, when energy comes from V × I.
    static func dcPairs(_ layouts: [LineLayout], count: Int) -> ContiguousArray<Int32> {
        var pairs = ContiguousArray<Int32>(repeating: -1, count: count)
        for layout in layouts {
            guard let current = layout.dcCurrent.first, let voltage = layout.dcVoltage.first else { continue }
            pairs[current] = Int32(voltage)
        }
        return pairs
    }

    /// The ids of the lines, in the order given at init.
    public var lineIDs: [String] { layouts.map(\.id) }

    /// The factors `line`'s records carry (and its figures use), as in its period records' `factors`.
    public static func factorUses(site: SiteDefinition, line: LineDefinition) -> [PeriodRecord.FactorUse] {
        factorUses(site: site, line: line, layout: LineLayout(line: line, firstInput: 0, factors: site.factors))
    }

    private static func factorUses(site: SiteDefinition, line: LineDefinition, layout: LineLayout) -> [PeriodRecord.FactorUse] {
        func use(_ role: String, _ f: EmissionFactor) -> PeriodRecord.FactorUse {
            .init(role: role, id: f.id, value: f.value, unit: f.unit, source: f.source, vintage: f.vintage)
        }
        var out: [PeriodRecord.FactorUse] = []
        if !layout.importSource.isEmpty {
            out.append(use("grid", site.factors.grid))
            if let m = site.factors.market, !m.instruments.isEmpty {
                out.append(use("market_residual", m.residual))
                for i in layout.instruments.map(\.instrument) {
                    let source = "\(i.kind) \(i.monthLabel) \(i.market) \(JSONWriter.numberText(i.mwh)) MWh" + (i.certificates.isEmpty ? "" : " " + i.certificates.joined(separator: ","))
                    out.append(.init(role: "instrument:" + i.id, id: i.id, value: i.kgCO2ePerKWh, unit: "kgCO2e/kWh", source: source, vintage: i.year))
                }
            } else if let m = site.factors.market {
                out.append(use("market_instrument", m.instrument))
                out.append(use("market_residual", m.residual))
                out.append(.init(role: "market_instrument_share", id: m.instrument.id, value: m.instrumentShare, unit: "1", source: m.instrument.source, vintage: m.instrument.vintage))
            }
        }
        for input in line.inputs {
            guard let fuel = input.fuel else { continue }
            if let f = site.factors.fuels[fuel.fuel], !out.contains(where: { $0.role == "fuel:" + fuel.fuel }) {
                out.append(use("fuel:" + fuel.fuel, f))
            }
            out.append(.init(role: "ncv:" + input.tagPath, id: fuel.fuel, value: fuel.ncvMJPerNm3, unit: "MJ/Nm3", source: "config", vintage: nil))
        }
        if let lce = line.product.lceFactor {
            out.append(.init(role: "lce", id: "lce:" + line.product.name, value: lce, unit: "t LCE/t", source: "molar masses", vintage: nil))
        }
        return out
    }
}

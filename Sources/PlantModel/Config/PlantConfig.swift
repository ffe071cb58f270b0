/// plantgate.yaml as written, typed: the input of validation and compilation (`PlantPlan.compile`).
///
/// Schema (every key; defaults in brackets; durations `250ms`, `2s`, `1m`, `1h`):
/// ```yaml
/// site: {id, time_zone [UTC], shifts: ["06:00", "18:00"] [none], demand_interval: 15m|30m|60m [15m]}
/// mqtt: {host [127.0.0.1], port [1883], client_id [plantgate-<site>], prefix [plantgate], keepalive [30s],
///        qos: 0|1 [1], protocol: "3.1.1"|"5" [3.1.1], username, password_file,
///        tls: {ca_file, cert_file, key_file, insecure [false]},
///        publish: {raw: every_poll|on_change [every_poll], deadband: 0.5|"1%" [0], max_silence [60s],
///                  raw_qos: 0|1 [0], retain_raw [false]}}
/// buses: [{id, tcp: {host, port [502]} | serial: {device, baud [19200], parity: N|E|O [E], data_bits [8],
///          stop_bits [1]}, response_timeout [500ms], byte_timeout [100ms], connect_timeout [2s],
///          retries [1], request_delay [0ms], soft_errors [2]}]
/// devices: [{id, bus, unit, interval [1s], max_gap [8], profile, only: [tag…], tags: {name: TAG}}]
///   TAG: {register: "holding|input|coil|discrete:ADDRESS", type, order: ABCD|CDAB|BADC|DCBA, unit, scale,
///         offset, min, max, interval, kind: gauge|counter, max_rate, modulus, bit, bits: "4-7", length,
///         sum_of, transform: pf_4q, topic, reset_marker, scale_factor: "holding:ADDRESS" (SunSpec)}
/// lines: [{id, name, product: {name, lce_factor, min_t}, inputs: [{tag: device/tag, role, fuel,
///          ncv_mj_per_nm3, source, destination, quality}],
///          electrowinning: {metal: cu|ni, cells, current: TAG, energy: TAG | voltage: TAG, cathode: TAG},
///          baseline: {period: day|shift, model: /ABS/PATH.json | energy, intercept, variables: [{name, coefficient, min, max}]}}]
/// factors: {gwp [AR6], grid: {id, kgco2e_per_kwh, source, vintage}, market: {instrument_share,
///           instrument: FACTOR, residual: FACTOR} | {market, residual: FACTOR, instruments: [{id, type, line,
///           month: "YYYY-MM", market, mwh, kgco2e_per_kwh [0], renewable, certificates: [id…]}]},
///           fuels: {natural_gas: {id, kgco2e_per_gj, source, vintage}}}
/// state_dir [/var/lib/plantgate], control_socket [/run/plantgate/control.sock], log_level [info]
/// report: {company_name, company_ids: [URN], country: KZ, dqi: {technological, geographical, temporal},
///          products: {LINE: {ids: [URN], trade_name, description, fossil_carbon_content [0]}}}
/// ```
public struct PlantConfig: Sendable, Hashable {
    public var site: SiteConfig
    public var mqtt: MQTTConfig
    public var buses: [BusConfig]
    public var devices: [DeviceConfig]
    public var lines: [LineConfig]
    public var factors: FactorsConfig
    public var stateDirectory: String
    public var controlSocket: String
    public var logLevel: LogLevel
    /// For `plantgate report --pcf`; nil when the file has no `report:` section.
    public var report: ReportConfig?

    public init(site: SiteConfig, mqtt: MQTTConfig = MQTTConfig(), buses: [BusConfig] = [], devices: [DeviceConfig] = [],
                lines: [LineConfig] = [], factors: FactorsConfig = FactorsConfig(),
                stateDirectory: String = "/var/lib/plantgate", controlSocket: String = "/run/plantgate/control.sock",
                logLevel: LogLevel = .info) {
        self.site = site
        self.mqtt = mqtt
        self.buses = buses
        self.devices = devices
        self.lines = lines
        self.factors = factors
        self.stateDirectory = stateDirectory
        self.controlSocket = controlSocket
        self.logLevel = logLevel
    }
}

/// Daemon log verbosity (syslog priorities).
public enum LogLevel: String, Sendable, Hashable, CaseIterable {
    case debug, info, notice, warning, error
}

/// `site:`: where the plant is and how its calendar is cut.
public struct SiteConfig: Sendable, Hashable {
    public var id: String
    public var timeZone: String = "UTC"
    /// Minutes after local midnight.
    public var shiftStarts: [Int] = []
    public var demandInterval: Duration = .seconds(900)

    public init(id: String, timeZone: String = "UTC", shiftStarts: [Int] = [], demandInterval: Duration = .seconds(900)) {
        self.id = id
        self.timeZone = timeZone
        self.shiftStarts = shiftStarts
        self.demandInterval = demandInterval
    }
}

/// `factors:`: emission factors in force, versioned.
public struct FactorsConfig: Sendable, Hashable {
    public var gwp: String = "AR6"
    public var grid: EmissionFactor = EmissionFactor(id: "unset", value: 0, unit: "kgCO2e/kWh", source: "unset")
    public var market: MarketBasedFactors?
    public var fuels: [String: EmissionFactor] = [:]

    public init(gwp: String = "AR6", grid: EmissionFactor = EmissionFactor(id: "unset", value: 0, unit: "kgCO2e/kWh", source: "unset"),
                market: MarketBasedFactors? = nil, fuels: [String: EmissionFactor] = [:]) {
        self.gwp = gwp
        self.grid = grid
        self.market = market
        self.fuels = fuels
    }
}

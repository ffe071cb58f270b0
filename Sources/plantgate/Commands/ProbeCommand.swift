import ArgumentParser
import Modbus
import ModbusProtocol
import PlantgateConsole
import PlantModel
import POSIX

/// `plantgate probe`: one read from a device, to find the right address, table and word order.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Read registers once from a device, without the daemon.",
        discussion: """
            Raw read: --tcp HOST[:PORT] (a name, IPv4, or IPv6 as [ADDR]:PORT) or --rtu DEVICE with --read TABLE:ADDRESS[:COUNT]. Prints the words \
            in hex and decimal and, for 2 or 4 registers (or with --type), the value in every word order \
            (ABCD, CDAB, BADC, DCBA) side by side, marking plausible floats with ✓, and the latency.

            Configured device: --device ID [--config FILE] reads the device's tags through its read plan and \
            prints decoded values with unit and quality.

            Built-in profile: --profile NAME with --tcp or --rtu (and --unit) reads a live meter through that \
            profile's register map (`plantgate profiles` lists them), before any configuration exists.

            Exit status: 0 read, 1 the device answered a Modbus exception, 2 usage, 69 no answer or \
            connection refused, 78 config error.
            """
    )

    @Option(help: ArgumentHelp("Modbus TCP device or gateway: name, IPv4 or [IPv6] (port 502 unless given).", valueName: "host[:port]"))
    var tcp: String?

    @Option(help: ArgumentHelp("Serial device of an RS-485 adapter, for Modbus RTU.", valueName: "device"),
            completion: .file())
    var rtu: String?

    @Option(help: "RTU baud rate (default 19200).")
    var baud: Int?

    @Option(help: ArgumentHelp("RTU parity: E, O or N (default E).", valueName: "parity"))
    var parity: SerialSettings.Parity?

    @Option(help: "RTU data bits.")
    var dataBits = 8

    @Option(help: "RTU stop bits.")
    var stopBits = 1

    @Option(help: "Modbus unit (slave) id: 1…247 on RTU, 0…255 on TCP.")
    var unit = 1

    @Option(help: ArgumentHelp("What to read: holding|input|coil|discrete:ADDRESS[:COUNT], 0-based PDU address.",
                               valueName: "table:address[:count]"),
            completion: .list(["holding:", "input:", "coil:", "discrete:"]))
    var read: String?

    @Option(help: "Decode as this type (in every word order unless --order is given).")
    var type: ValueType?

    @Option(help: "Show only this word order.")
    var order: WordOrder?

    @Option(help: ArgumentHelp("Response timeout, e.g. 500ms or 2s (default 1s; with --device, the bus's).", valueName: "duration"))
    var timeout: DurationArgument?

    @Option(help: ArgumentHelp("Read this configured device's tags instead of raw registers.", valueName: "id"))
    var device: String?

    @Option(name: [.customShort("c"), .customLong("config")],
            help: ArgumentHelp("Configuration file for --device.", valueName: "file"),
            completion: .file(extensions: ["yaml", "yml"]))
    var config = CheckCommand.defaultPath

    @Option(help: ArgumentHelp("Read every tag of this built-in profile from the --tcp or --rtu meter.", valueName: "name"),
            completion: .list(MeterProfile.builtIn.map(\.name)))
    var profile: String?

    @Flag(help: "Print JSON for scripts.")
    var json = false

    func validate() throws {
        let targets = [tcp != nil, rtu != nil, device != nil].filter { $0 }.count
        guard targets == 1 else { throw ValidationError("give exactly one of --tcp, --rtu or --device") }
        if rtu == nil, baud != nil || parity != nil { throw ValidationError("--baud and --parity apply to --rtu only") }
        if device != nil {
            if read != nil || type != nil || order != nil { throw ValidationError("--device reads the configured tags; --read, --type and --order apply to raw reads") }
            if profile != nil { throw ValidationError("--device reads the configured device's own tags; --profile applies to --tcp or --rtu") }
            return
        }
        if let tcp, TCPAddress(parsing: tcp) == nil { throw ValidationError("--tcp \(tcp): expected HOST, HOST:PORT or [IPV6]:PORT with PORT 1…65535") }
        if let baud, baud <= 0 { throw ValidationError("--baud must be positive, e.g. 9600 or 19200") }
        if let profile {
            if read != nil || type != nil || order != nil { throw ValidationError("--profile reads the profile's tags; --read, --type and --order apply to raw reads") }
            guard MeterProfile.named(profile) != nil else {
                throw ValidationError("no built-in profile \"\(profile)\"; the profiles are: \(MeterProfile.builtIn.map(\.name).joined(separator: ", "))")
            }
            let units = rtu != nil ? 1...247 : 0...255
            guard units.contains(unit) else { throw ValidationError("--unit \(unit): \(rtu != nil ? "RTU" : "TCP") unit ids are \(units.lowerBound)…\(units.upperBound)") }
            return
        }
        guard let read else { throw ValidationError("say what to read, e.g. --read holding:3059:2") }
        guard let span = RegisterSpan(parsing: read) else {
            throw ValidationError("--read \(read): expected TABLE:ADDRESS[:COUNT], TABLE one of holding, input, coil, discrete, ADDRESS 0…65535")
        }
        let units = rtu != nil ? 1...247 : 0...255
        guard units.contains(unit) else { throw ValidationError("--unit \(unit): \(rtu != nil ? "RTU" : "TCP") unit ids are \(units.lowerBound)…\(units.upperBound)") }
        if span.table.isBitTable, type != nil || order != nil { throw ValidationError("--type and --order apply to holding and input registers") }
        if let type, type == .bits || type == .bool { throw ValidationError("--type \(type.rawValue): probe decodes numbers and strings; read the register and look at its hex") }
        let count = resolvedCount(span)
        guard count <= span.table.maxPerRequest else { throw ValidationError("--read \(read): at most \(span.table.maxPerRequest) per request") }
        guard span.address + count <= 65536 else { throw ValidationError("--read \(read): runs past address 65535") }
        if let type, type != .string, type.registerWidth > count {
            throw ValidationError("--type \(type.rawValue) needs \(type.registerWidth) registers; read :\(type.registerWidth)")
        }
    }

    func run() async throws {
        if let device {
            try await probeDevice(device)
        } else if let profile {
            try await probeProfile(profile)
        } else {
            try await probeRaw()
        }
    }

    private func resolvedCount(_ span: RegisterSpan) -> Int {
        span.count ?? (type.map { $0 == .string ? 1 : $0.registerWidth } ?? 1)
    }

    private var endpoint: ModbusEndpoint? {
        if let tcp, let address = TCPAddress(parsing: tcp) { return .tcp(host: address.host, port: address.port) }
        if let rtu {
            return .rtu(SerialSettings(device: rtu, baud: baud ?? 19200, parity: parity ?? .even, dataBits: dataBits, stopBits: stopBits))
        }
        return nil
    }

    private func probeRaw() async throws {
        guard let endpoint, let read, let span = RegisterSpan(parsing: read) else { throw PlantgateExit.code(PlantgateExit.usage) }
        let seconds = timeout?.seconds ?? 1
        let count = resolvedCount(span)
        let probe = RawProbe(endpoint: endpoint, timeouts: ModbusTimeouts(response: seconds, byte: min(seconds, 0.5)),
                             unit: UInt8(clamping: unit), table: span.table, address: span.address, count: count,
                             types: type.map { [$0] } ?? OrderComparison.defaultTypes(registerCount: count),
                             orders: order.map { [$0] } ?? WordOrder.allCases)
        let outcome = await BlockingWork.run("probe") { probe.perform() }
        if json { Console.out(try JSONText.encode(probe.report(outcome))) }
        if let error = outcome.error {
            if !json { Console.error("plantgate: \(error.description)") }
            throw PlantgateExit.code(error.exitStatus)
        }
        if !json { Console.out(probe.render(outcome, on: Terminal.standardOutput)) }
    }

    private func probeDevice(_ id: String) async throws {
        let loaded: LoadedConfig
        switch ConfigFile.load(config) {
        case .success(let value): loaded = value
        case .failure(let diagnostics):
            Console.error(diagnostics.description)
            throw Console.fail(CLIFailure("configuration \(config) is invalid: fix it first (plantgate check \(config))", status: PlantgateExit.config))
        }
        let plan = loaded.plan
        guard let bus = plan.buses.first(where: { $0.devices.contains { $0.device == id } }),
              let device = bus.devices.first(where: { $0.device == id }) else {
            let known = plan.buses.flatMap { $0.devices.map(\.device) }
            throw Console.fail(.usage(UnknownName.message("device", id, known: known, place: config)))
        }
        try await probe(plan: plan, bus: bus, device: device, id: id)
    }

    /// Reads `device` once through its read plan and prints the decoded tags.
    func probe(plan: PlantPlan, bus: BusPlan, device: DeviceReadPlan, id: String) async throws {
        let response = timeout?.seconds ?? DurationText.seconds(bus.bus.responseTimeout)
        let byte = min(response, DurationText.seconds(bus.bus.byteTimeout))
        let probe = DeviceProbe(plan: plan, bus: bus, device: device, timeouts: ModbusTimeouts(response: response, byte: byte))
        let outcome = await BlockingWork.run("probe-device") { probe.perform() }
        if json {
            Console.out(try JSONText.encode(probe.report(outcome)))
        } else if let error = outcome.connectError {
            Console.error("plantgate: device \(id): \(error.description)")
        } else {
            Console.out(probe.render(outcome, on: Terminal.standardOutput))
        }
        let status = DeviceProbe.status(of: outcome)
        if status != PlantgateExit.ok { throw PlantgateExit.code(status) }
    }
}

import ArgumentParser
import Modbus
import ModbusProtocol
import PlantgateConsole
import PlantModel
import POSIX

/// `plantgate scan`: which unit ids answer on a bus, and with which serial settings.
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Find the unit ids that answer on an RS-485 line or behind a Modbus TCP gateway.",
        discussion: """
            Each probe reads one register; any reply or Modbus exception proves a device (a gateway's own \
            "path unavailable" or "target failed to respond" does not). On a serial line, every combination \
            of --baud and --parity is tried. Progress goes to stderr (a bar on a terminal), the result to stdout.

            --sunspec walks one unit's SunSpec model chain instead: "SunS" at 40000, 0 or 50000, each model's id and \
            length to the end model, and the inverter's tags (models 101-103) ready for plantgate.yaml.

            Exit status: 0 at least one device answered, 1 none did, 2 usage, 69 the port could not be opened.
            """
    )

    @Option(help: ArgumentHelp("Serial device of an RS-485 adapter.", valueName: "device"), completion: .file())
    var rtu: String?

    @Option(help: ArgumentHelp("Modbus TCP gateway (port 502 unless given).", valueName: "host[:port]"))
    var tcp: String?

    @Option(help: ArgumentHelp("Unit ids to try: ranges and lists, e.g. 1-247 or 1-10,20.", valueName: "list"))
    var units = "1-247"

    @Option(help: ArgumentHelp("Baud rates to try, e.g. 9600,19200.", valueName: "list"),
            completion: .list(["9600", "19200", "38400", "115200", "9600,19200"]))
    var baud = "19200"

    @Option(help: ArgumentHelp("Parities to try, e.g. E,N.", valueName: "list"),
            completion: .list(["E", "N", "O", "E,N", "E,N,O"]))
    var parity = "E"

    @Option(help: "RTU data bits.")
    var dataBits = 8

    @Option(help: "RTU stop bits.")
    var stopBits = 1

    @Option(help: ArgumentHelp("The register each probe reads: TABLE:ADDRESS.", valueName: "table:address"),
            completion: .list(["holding:0", "input:0", "coil:0", "discrete:0"]))
    var register = "holding:0"

    @Option(help: ArgumentHelp("How long to wait for each unit id.", valueName: "duration"))
    var timeout = DurationArgument(.milliseconds(100))

    @Flag(help: "Walk the SunSpec model chain of one unit (--units N, default 1) and print its models and inverter tags.")
    var sunspec = false

    @Flag(help: "Print JSON for scripts.")
    var json = false

    func validate() throws {
        guard (rtu == nil) != (tcp == nil) else { throw ValidationError("give exactly one of --rtu or --tcp") }
        if let tcp, TCPAddress(parsing: tcp) == nil { throw ValidationError("--tcp \(tcp): expected HOST or HOST:PORT with PORT 1…65535") }
        let bounds = rtu != nil ? 1...247 : 0...255
        if NumberList.parse(units, within: bounds) == nil {
            throw ValidationError("--units \(units): expected ids \(bounds.lowerBound)…\(bounds.upperBound) as ranges and lists, e.g. 1-247 or 1-10,20")
        }
        if rtu != nil {
            if NumberList.parse(baud, within: 50...4_000_000) == nil { throw ValidationError("--baud \(baud): expected baud rates such as 9600,19200") }
            if parities == nil { throw ValidationError("--parity \(parity): expected E, O or N, or a list such as E,N") }
        }
        guard RegisterAddress(parsing: register) != nil else {
            throw ValidationError("--register \(register): expected TABLE:ADDRESS, TABLE one of holding, input, coil, discrete")
        }
    }

    private var parities: [SerialSettings.Parity]? {
        let list = parity.split(separator: ",").map { SerialSettings.Parity(argument: String($0)) }
        return list.isEmpty || list.contains(where: { $0 == nil }) ? nil : list.compactMap { $0 }
    }

    var endpoints: [ModbusEndpoint] {
        if let tcp, let address = TCPAddress(parsing: tcp) { return [.tcp(host: address.host, port: address.port)] }
        guard let rtu, let bauds = NumberList.parse(baud, within: 50...4_000_000), let parities else { return [] }
        return bauds.flatMap { rate in
            parities.map { .rtu(SerialSettings(device: rtu, baud: rate, parity: $0, dataBits: dataBits, stopBits: stopBits)) }
        }
    }

    func run() async throws {
        if sunspec { return try await scanSunSpec() }
        guard let register = RegisterAddress(parsing: register),
              let ids = NumberList.parse(units, within: rtu != nil ? 1...247 : 0...255) else { throw PlantgateExit.code(PlantgateExit.usage) }
        let scan = BusScan(endpoints: endpoints, units: ids, register: register, timeout: timeout.seconds)
        let display = ScanProgressDisplay(terminal: Terminal.standardError)
        let outcome = await BlockingWork.run("scan") { scan.perform(report: display.show) }
        let place = rtu ?? tcp ?? ""
        if let error = outcome.linkError {
            if json { Console.out(try JSONText.encode(Report(place: place, outcome: outcome))) }
            throw Console.fail(CLIFailure(error.description, status: PlantgateExit.unavailable))
        }
        if json {
            Console.out(try JSONText.encode(Report(place: place, outcome: outcome)))
        } else {
            Console.out(render(outcome, place: place, on: Terminal.standardOutput))
        }
        if outcome.findings.isEmpty { throw PlantgateExit.code(PlantgateExit.finding) }
    }

    private func render(_ outcome: BusScan.Outcome, place: String, on terminal: Terminal) -> String {
        var lines: [String] = []
        let settings = rtu == nil ? "" : " × \(endpoints.count) serial setting\(endpoints.count == 1 ? "" : "s")"
        let tried = "\(outcome.probes) probes (\(units)\(settings)) in " + ValueText.span(outcome.seconds)
        if outcome.findings.isEmpty {
            lines.append(terminal.paint("no device answered on \(place)", .bad) + " after " + tried)
            lines.append(rtu != nil
                ? "check the wiring (A/B swapped? termination?), the baud rate and parity (try --baud 9600,19200 --parity E,N), and the register (--register input:0)"
                : "check the gateway's serial settings and that the devices behind it are powered; try --register input:0")
        } else {
            let devices = ScanDevices(outcome.findings).devices
            lines.append("found \(CountText.of(devices.count, "device")) on \(place):")
            let serial = rtu != nil
            var table = TextTable(headers: serial ? ["UNIT", "ANSWERED AT", "FASTEST", "ANSWER"] : ["UNIT", "LINK", "ANSWER"],
                                  alignments: [.right], indent: 2)
            for device in devices {
                let answer = TextTable.Cell(device.text, device.answer == "value" ? .good : .warning)
                table.append(serial
                    ? [TextTable.Cell("\(device.unit)"), TextTable.Cell(device.answeredAt.joined(separator: ", ")),
                       TextTable.Cell("\(device.fastest) (\(ValueText.milliseconds(device.fastestMs)))"), answer]
                    : [TextTable.Cell("\(device.unit)"), TextTable.Cell(device.fastest), answer])
            }
            lines.append(table.render(on: terminal, width: Terminal.viewWidth))
            if serial, endpoints.count > 1 {
                lines.append("each device counted once; configure the FASTEST setting (devices on one line share one setting)")
            }
            lines.append("after " + tried)
        }
        for noise in outcome.noise {
            lines.append(terminal.paint("unit \(noise.unit) (\(noise.link)): \(noise.message)", .warning))
        }
        return lines.joined(separator: "\n")
    }

    /// `plantgate scan --json`.
    struct Report: Encodable {
        var place: String
        /// One entry per unit id.
        var devices: [ScanDevices.Device]
        /// One entry per (unit id, setting) that answered.
        var found: [BusScan.Finding]
        var garbled: [BusScan.Noise]
        var probes: Int
        var seconds: Double
        var error: ProbeError?

        init(place: String, outcome: BusScan.Outcome) {
            self.place = place
            devices = ScanDevices(outcome.findings).devices
            found = outcome.findings
            garbled = outcome.noise
            probes = outcome.probes
            seconds = outcome.seconds
            error = outcome.linkError.map(ProbeError.init)
        }
    }
}

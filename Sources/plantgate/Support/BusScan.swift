import Foundation
import Modbus
import ModbusProtocol
import PlantModel

/// Tries unit ids on a bus (and serial settings on a serial line): one single-register read each;
/// any reply or Modbus exception proves a device, except a gateway's own "no route"/"no answer".
struct BusScan: Sendable {
    /// The links to try, one per serial setting (or the one TCP endpoint).
    var endpoints: [ModbusEndpoint]
    var units: [Int]
    var register: RegisterAddress
    var timeout: Double

    /// A device that answered.
    struct Finding: Sendable, Encodable {
        var unit: Int
        var link: String
        /// `value` or `exception`.
        var answer: String
        var value: Int?
        var exceptionCode: Int?
        var exception: String?
        /// How it reads in the table.
        var text: String
        /// Time from request to answer.
        var latencyMs: Double = 0
    }

    /// A unit whose reply was garbled: probably a device, with settings or wiring that do not fit.
    struct Noise: Sendable, Encodable {
        var unit: Int
        var link: String
        var message: String
    }

    struct Outcome: Sendable {
        var findings: [Finding] = []
        var noise: [Noise] = []
        var probes = 0
        var seconds = 0.0
        /// A link that could not be opened at all.
        var linkError: ModbusError?
    }

    /// Where a scan is, for the progress display.
    struct Progress: Sendable {
        var done: Int
        var total: Int
        var link: String
        var unit: Int
        var found: Int
        var elapsed: Double

        /// Seconds left at the pace so far.
        var remaining: Double? { done == 0 ? nil : elapsed / Double(done) * Double(total - done) }
    }

    var total: Int { endpoints.count * units.count }

    /// Runs the scan. Blocking: call through `BlockingWork`. `report` is called before each probe and
    /// once at the end, on the scanning thread.
    func perform(report: (Progress, Finding?) -> Void) -> Outcome {
        var outcome = Outcome()
        let clock = ContinuousClock()
        let started = clock.now
        let table = register.table
        for endpoint in endpoints {
            let link = Self.linkName(endpoint)
            let client = ModbusClient(endpoint: endpoint, timeouts: ModbusTimeouts(response: timeout, byte: min(timeout, 0.05)))
            do {
                try client.connect()
            } catch {
                outcome.linkError = error
                return outcome
            }
            for unit in units {
                let elapsed = DurationText.seconds(clock.now - started)
                report(Progress(done: outcome.probes, total: total, link: link, unit: unit, found: outcome.findings.count, elapsed: elapsed), nil)
                if !client.isConnected {
                    do { try client.connect() } catch { outcome.linkError = error; return outcome }
                }
                outcome.probes += 1
                let asked = clock.now
                let finding = probe(client, table: table, unit: unit, link: link, outcome: &outcome).map {
                    var timed = $0
                    timed.latencyMs = DurationText.seconds(clock.now - asked) * 1000
                    return timed
                }
                if let finding {
                    outcome.findings.append(finding)
                    report(Progress(done: outcome.probes, total: total, link: link, unit: unit, found: outcome.findings.count,
                                    elapsed: DurationText.seconds(clock.now - started)), finding)
                }
            }
            client.close()
        }
        outcome.seconds = DurationText.seconds(clock.now - started)
        report(Progress(done: outcome.probes, total: total, link: "", unit: 0, found: outcome.findings.count, elapsed: outcome.seconds), nil)
        return outcome
    }

    private func probe(_ client: ModbusClient, table: RegisterTable, unit: Int, link: String, outcome: inout Outcome) -> Finding? {
        let id = UInt8(clamping: unit)
        do {
            let value: Int
            if table.isBitTable {
                value = try client.readBits(table, unit: id, address: register.address, count: 1)[0] ? 1 : 0
            } else {
                value = Int(try client.readRegisters(table, unit: id, address: register.address, count: 1)[0])
            }
            let text = table.isBitTable ? "\(register) = \(value)" : "\(register) = \(value) (\(RawProbe.hex(UInt16(truncatingIfNeeded: value))))"
            return Finding(unit: unit, link: link, answer: "value", value: value, text: text)
        } catch {
            switch error.kind {
            case .exception(let code) where code == .gatewayPathUnavailable || code == .gatewayTargetFailedToRespond:
                return nil
            case .exception(let code):
                return Finding(unit: unit, link: link, answer: "exception", exceptionCode: Int(code.rawValue), exception: code.name,
                               text: "exception \(code.rawValue) (\(code.name))")
            case .unknownException:
                return Finding(unit: unit, link: link, answer: "exception", exception: "undefined exception", text: "undefined exception (\(error.detail))")
            case .garbled:
                outcome.noise.append(Noise(unit: unit, link: link, message: error.summary))
                return nil
            default:
                return nil
            }
        }
    }

    /// `19200 8E1` for a serial setting, `tcp HOST:PORT` for TCP.
    static func linkName(_ endpoint: ModbusEndpoint) -> String {
        switch endpoint {
        case .tcp: endpoint.description
        case .rtu(let serial): "\(serial.baud) \(serial.dataBits)\(serial.parity.rawValue)\(serial.stopBits)"
        }
    }
}

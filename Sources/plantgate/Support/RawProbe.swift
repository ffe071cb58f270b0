import Foundation
import Modbus
import ModbusProtocol
import PlantgateConsole
import PlantModel

/// One read straight from a device, without daemon or config: the words, every word-order
/// interpretation, the latency, or the failure in words.
struct RawProbe: Sendable {
    var endpoint: ModbusEndpoint
    var timeouts: ModbusTimeouts
    var unit: UInt8
    var table: RegisterTable
    var address: Int
    var count: Int
    var types: [ValueType]
    var orders: [WordOrder]

    /// What came back.
    struct Outcome: Sendable {
        var words: [UInt16] = []
        var bits: [Bool] = []
        var latencyMs: Double?
        var error: ModbusError?
    }

    /// Connects, reads once and closes. Blocking: call through `BlockingWork`.
    func perform() -> Outcome {
        let client = ModbusClient(endpoint: endpoint, timeouts: timeouts)
        var outcome = Outcome()
        do {
            try client.connect()
            let clock = ContinuousClock()
            let started = clock.now
            if table.isBitTable {
                outcome.bits = try client.readBits(table, unit: unit, address: address, count: count)
            } else {
                outcome.words = try client.readRegisters(table, unit: unit, address: address, count: count)
            }
            outcome.latencyMs = DurationText.seconds(clock.now - started) * 1000
        } catch {
            outcome.error = error
        }
        client.close()
        return outcome
    }

    var operation: String { "read \(table.rawValue) \(address)+\(count)" }

    /// The human-readable report of a successful read.
    func render(_ outcome: Outcome, on terminal: Terminal) -> String {
        var lines = ["\(endpoint) unit \(unit): \(operation): " + ValueText.milliseconds(outcome.latencyMs)]
        if table.isBitTable {
            var bits = TextTable(headers: ["ADDRESS", "VALUE"], indent: 2)
            for (offset, bit) in outcome.bits.enumerated() {
                bits.append([TextTable.Cell("\(table.rawValue):\(address + offset)"), TextTable.Cell(bit ? "1" : "0")])
            }
            lines.append(bits.render(on: terminal))
            return lines.joined(separator: "\n")
        }
        var raw = TextTable(headers: ["REGISTER", "HEX", "UNSIGNED", "SIGNED"], alignments: [.left, .left, .right, .right], indent: 2)
        for (offset, word) in outcome.words.enumerated() {
            raw.append([TextTable.Cell("\(table.rawValue):\(address + offset)"), TextTable.Cell(Self.hex(word)),
                        TextTable.Cell("\(word)"), TextTable.Cell("\(Int16(bitPattern: word))")])
        }
        lines.append(raw.render(on: terminal))
        if !types.isEmpty {
            let comparison = OrderComparison(words: outcome.words, types: types, orders: orders)
            lines.append("")
            lines.append(comparison.table(on: terminal).render(on: terminal))
            if comparison.cells.joined().contains(where: { $0.type.hasPrefix("float") }) {
                lines.append("  " + OrderComparison.legend)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The JSON report (success or failure).
    func report(_ outcome: Outcome) -> Report {
        let comparison = outcome.error == nil && !types.isEmpty && !table.isBitTable
            ? OrderComparison(words: outcome.words, types: types, orders: orders).cells.flatMap { $0 } : []
        return Report(endpoint: endpoint.description, unit: Int(unit), table: table.rawValue, address: address, count: count,
                      latencyMs: outcome.latencyMs, words: table.isBitTable || outcome.error != nil ? nil : outcome.words,
                      hex: table.isBitTable || outcome.error != nil ? nil : outcome.words.map(Self.hex),
                      bits: table.isBitTable && outcome.error == nil ? outcome.bits : nil,
                      decoded: comparison, error: outcome.error.map(ProbeError.init))
    }

    static func hex(_ word: UInt16) -> String {
        let digits = String(word, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: 4 - digits.count) + digits
    }

    /// `plantgate probe --json`.
    struct Report: Encodable {
        var endpoint: String
        var unit: Int
        var table: String
        var address: Int
        var count: Int
        var latencyMs: Double?
        var words: [UInt16]?
        var hex: [String]?
        var bits: [Bool]?
        var decoded: [OrderComparison.Cell]
        var error: ProbeError?
    }
}

/// A failed read as JSON: the class (`timeout`, `exception_02`…) and the message with the fix.
struct ProbeError: Encodable, Sendable {
    var kind: String
    var exception: String?
    var message: String

    init(_ error: ModbusError) {
        kind = error.counterName
        exception = error.exception?.name
        message = error.description
    }
}

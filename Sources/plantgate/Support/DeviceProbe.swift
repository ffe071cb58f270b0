import Foundation
import Modbus
import ModbusProtocol
import PlantgateConsole
import PlantModel

/// `probe --device`: reads a configured device through its real read plan and decodes every tag as the
/// daemon would, so a technician sees what the daemon will publish.
struct DeviceProbe: Sendable {
    var plan: PlantPlan
    var bus: BusPlan
    var device: DeviceReadPlan
    var timeouts: ModbusTimeouts

    /// One request's fate.
    struct RequestResult: Sendable, Encodable {
        var request: String
        var latencyMs: Double?
        var error: ProbeError?
    }

    /// One tag as decoded.
    struct TagResult: Sendable, Encodable {
        var tag: String
        var path: String
        var value: Double?
        var text: String
        var unit: String
        var quality: String
        var reason: String
        var register: String
    }

    struct Outcome: Sendable {
        var connectError: ModbusError?
        var requests: [RequestResult] = []
        var tags: [TagResult] = []
        var failures: [ModbusError] = []
    }

    var endpoint: ModbusEndpoint { bus.bus.link.endpoint }

    /// Every distinct request of the device's plan, fastest group first.
    var requests: [ReadRequest] {
        var seen = Set<ReadRequest>()
        return device.groups.flatMap(\.requests).filter { seen.insert($0).inserted }
    }

    /// Connects and runs each request once. Blocking: call through `BlockingWork`.
    func perform() -> Outcome {
        var outcome = Outcome()
        let client = ModbusClient(endpoint: endpoint, timeouts: timeouts)
        do {
            try client.connect()
        } catch {
            outcome.connectError = error
            return outcome
        }
        defer { client.close() }
        let unit = UInt8(clamping: device.unit)
        let clock = ContinuousClock()
        for request in requests {
            if !client.isConnected { try? client.connect() }
            let started = clock.now
            do {
                if request.table.isBitTable {
                    let bits = try client.readBits(request.table, unit: unit, address: request.start, count: request.count)
                    let bytes = bits.map { UInt8($0 ? 1 : 0) }
                    for slot in request.slots {
                        guard let tag = tag(slot.tag) else { continue }
                        let reading = bytes.withUnsafeBufferPointer { RegisterDecoder.decode(tag.decode, bits: $0, at: slot.offset) }
                        outcome.tags.append(result(tag, reading))
                    }
                } else {
                    let words = try client.readRegisters(request.table, unit: unit, address: request.start, count: request.count)
                    for slot in request.slots {
                        guard let tag = tag(slot.tag) else { continue }
                        if tag.decode.type == .string {
                            let text = words.withUnsafeBufferPointer { RegisterDecoder.decodeText(tag.decode, words: $0, at: slot.offset) }
                            outcome.tags.append(TagResult(tag: tag.name, path: tag.path, value: nil, text: text.map { "\"\($0)\"" } ?? "-",
                                                          unit: tag.unit, quality: text == nil ? "bad" : "good",
                                                          reason: text == nil ? SampleReason.decodeFailure.code : SampleReason.none.code,
                                                          register: tag.register.description))
                        } else {
                            let reading = words.withUnsafeBufferPointer { RegisterDecoder.decode(tag.decode, words: $0, at: slot.offset) }
                            outcome.tags.append(result(tag, reading))
                        }
                    }
                }
                outcome.requests.append(RequestResult(request: request.description, latencyMs: DurationText.seconds(clock.now - started) * 1000))
            } catch {
                outcome.failures.append(error)
                outcome.requests.append(RequestResult(request: request.description, latencyMs: nil, error: ProbeError(error)))
                let reason = Self.reason(for: error)
                for slot in request.slots {
                    guard let tag = tag(slot.tag) else { continue }
                    outcome.tags.append(TagResult(tag: tag.name, path: tag.path, value: nil, text: "-", unit: tag.unit,
                                                  quality: Quality.bad.name, reason: reason.code, register: tag.register.description))
                }
            }
        }
        return outcome
    }

    /// Exit status: 0 all read, 69 nothing answered, 1 some requests failed.
    static func status(of outcome: Outcome) -> Int32 {
        if let error = outcome.connectError { return error.exitStatus }
        if outcome.failures.isEmpty { return PlantgateExit.ok }
        let nothingAnswered = outcome.failures.count == outcome.requests.count && !outcome.failures.contains(where: \.deviceAnswered)
        return nothingAnswered ? PlantgateExit.unavailable : PlantgateExit.finding
    }

    func render(_ outcome: Outcome, on terminal: Terminal) -> String {
        var lines = ["device \(device.device): unit \(device.unit) on bus \(bus.bus.id) (\(endpoint))"]
        var requestTable = TextTable(headers: ["REQUEST", "LATENCY", "RESULT"], alignments: [.left, .right, .left], indent: 2)
        for result in outcome.requests {
            requestTable.append([TextTable.Cell(result.request), TextTable.Cell(ValueText.milliseconds(result.latencyMs)),
                                 result.error.map { TextTable.Cell($0.message, .bad) } ?? TextTable.Cell("ok", .good)])
        }
        lines.append(requestTable.render(on: terminal))
        lines.append("")
        var tagTable = TextTable(headers: ["TAG", "VALUE", "UNIT", "QUALITY", "REASON", "REGISTER"],
                                 alignments: [.left, .right], indent: 2)
        for tag in outcome.tags.sorted(by: { $0.tag < $1.tag }) {
            tagTable.append([TextTable.Cell(tag.tag), TextTable.Cell(tag.text), TextTable.Cell(tag.unit),
                             TextTable.Cell(tag.quality, QualityStyle.style(tag.quality)),
                             TextTable.Cell(tag.reason == SampleReason.none.code ? "" : tag.reason), TextTable.Cell(tag.register)])
        }
        lines.append(tagTable.render(on: terminal))
        return lines.joined(separator: "\n")
    }

    /// `plantgate probe --device --json`.
    struct Report: Encodable {
        var device: String
        var bus: String
        var unit: Int
        var endpoint: String
        var requests: [RequestResult]
        var tags: [TagResult]
        var error: ProbeError?
    }

    func report(_ outcome: Outcome) -> Report {
        Report(device: device.device, bus: bus.bus.id, unit: device.unit, endpoint: endpoint.description,
               requests: outcome.requests, tags: outcome.tags, error: outcome.connectError.map(ProbeError.init))
    }

    private func tag(_ index: TagIndex) -> TagDefinition? {
        let position = Int(index)
        return plan.tags.indices.contains(position) ? plan.tags[position] : nil
    }

    private func result(_ tag: TagDefinition, _ reading: PlantModel.TagReading) -> TagResult {
        TagResult(tag: tag.name, path: tag.path, value: reading.value.isFinite ? reading.value : nil,
                  text: ValueText.value(reading.value), unit: tag.unit, quality: reading.quality.name,
                  reason: reading.reason.code, register: tag.register.description)
    }

    static func reason(for error: ModbusError) -> SampleReason {
        switch error.kind {
        case .timeout: .timeout
        case .exception, .unknownException: .exception
        case .garbled: .garbled
        case .connectionRefused, .hostNotFound, .unreachable, .permissionDenied, .noSuchDevice, .connectionLost, .system, .invalidRequest:
            .connection
        }
    }
}

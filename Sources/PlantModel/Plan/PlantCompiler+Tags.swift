import Foundation
import ModbusProtocol

extension PlantCompiler {
    /// Checks one resolved tag and turns it into a tag-table row.
    mutating func define(_ tag: TagConfig, device: DeviceConfig, path: String) -> TagDefinition? {
        guard let register = tag.register else {
            error(path, "tag \(tag.name) has no register; add `register: \"holding:ADDRESS\"` (or input:, coil:, discrete:)")
            return nil
        }
        let type = tag.type ?? (register.table.isBitTable ? .bool : .uint16)
        let errorCount = errors.count
        if register.table.isBitTable, type != .bool {
            error("\(path).type", "\(register.table.rawValue) addresses hold single bits; use type bool (or a holding/input register for \(type.rawValue))")
        }
        var bitOffset = 0, bitCount = 1
        if type == .bits {
            switch (tag.bit, tag.bits) {
            case (let bit?, nil): bitOffset = bit
            case (nil, let range?): bitOffset = range.lowerBound; bitCount = range.count
            default: error(path, "type bits needs exactly one of `bit: N` or `bits: \"LOW-HIGH\"`")
            }
        } else if tag.bit != nil || tag.bits != nil {
            error(path, "bit/bits apply only to type bits; set `type: bits`")
        }
        if type == .string, tag.length == nil {
            error(path, "type string needs `length:` (registers, two characters each)")
        } else if type != .string, tag.length != nil {
            error("\(path).length", "length applies only to type string")
        }
        let sumOf = tag.sumOf ?? 1
        if sumOf > 1, !type.isNumeric { error("\(path).sum_of", "sum_of applies only to numeric types") }
        var count = type == .string ? (tag.length ?? 1) : type.registerWidth * sumOf
        var scaleFactorOffset = 0
        if let factor = tag.scaleFactor {
            // The factor is read in the same request as the value: the tag spans value … factor.
            scaleFactorOffset = factor.address - register.address
            if factor.table != register.table || !type.isNumeric || sumOf > 1 || scaleFactorOffset < type.registerWidth
                || scaleFactorOffset >= register.table.maxPerRequest {
                error("\(path).scale_factor", "the scale factor must be a register of the same table after the value and within "
                      + "\(register.table.maxPerRequest - 1) registers of it (e.g. W at holding:40083, W_SF at holding:40084); found \(factor) for \(register)")
            } else {
                count = scaleFactorOffset + 1
            }
        }
        if count > register.table.maxPerRequest {
            error(path, "tag spans \(count) registers; one request reads at most \(register.table.maxPerRequest)")
        }
        if register.address + count > 65_536 {
            error(path, "tag runs past the last address 65535 (\(register) + \(count) registers)")
        }
        if tag.transform == .pf4q, !type.isNumeric { error("\(path).transform", "pf_4q applies to a numeric power factor register") }
        if let interval = tag.interval, interval <= .zero { error("\(path).interval", "interval must be > 0; a zero interval would busy-loop") }
        guard errors.count == errorCount else { return nil }
        let scale = tag.scale ?? 1
        let spec = DecodeSpec(type: type, order: tag.order ?? .abcd, registerCount: count, bitOffset: bitOffset, bitCount: bitCount,
                              scale: scale, offset: tag.offset ?? 0, sumOf: sumOf, minimum: tag.min ?? -.infinity,
                              maximum: tag.max ?? .infinity, transform: scaleFactorOffset > 0 ? .sunspecScaleFactor : tag.transform ?? .none)
        let modulus = tag.modulus ?? (sumOf == 1 ? type.counterModulus.map { $0 * abs(scale) } : nil)
        return TagDefinition(index: TagIndex(tags.count), device: device.id, name: tag.name, register: register, decode: spec,
                             unit: tag.unit ?? "1", kind: tag.kind ?? .gauge, interval: tag.interval ?? device.interval,
                             topicLevel: tag.topic ?? tag.name, modulus: modulus, maxRatePerHour: tag.maxRate,
                             resetMarker: tag.resetMarker)
    }

    /// Each bus with its devices' requests, per distinct interval, fastest first.
    func planBuses() -> [BusPlan] {
        config.buses.map { bus in
            let devices = config.devices.filter { $0.bus == bus.id }.map { device in
                let deviceTags = tags.filter { $0.device == device.id }
                let intervals = Set(deviceTags.map(\.interval)).sorted()
                let groups = intervals.map { interval in
                    let spans = deviceTags.filter { $0.interval == interval }
                        .map { TagSpan(tag: $0.index, address: $0.register, count: $0.decode.registerCount) }
                    return ReadGroup(interval: interval, requests: ReadPlanner.plan(spans, maxGap: device.maxGap))
                }
                return DeviceReadPlan(device: device.id, unit: device.unit, groups: groups)
            }
            return BusPlan(bus: bus, devices: devices)
        }
    }

    /// Serial buses: estimated wire time per second of polling must stay under one second.
    mutating func checkBusLoad(_ buses: [BusPlan]) {
        for (index, plan) in buses.enumerated() {
            var busySeconds = 0.0
            for device in plan.devices {
                for group in device.groups {
                    let perCycle = group.requests.reduce(0.0) { $0 + Self.wireSeconds(of: $1, on: plan.bus) }
                    busySeconds += perCycle / max(DurationText.seconds(group.interval), 0.001)
                }
            }
            if busySeconds > 1 {
                warning(path("buses", index), "bus \(plan.bus.id) needs \(String(format: "%.1f", busySeconds)) s per 1 s cycle; its devices will be polled late — lengthen intervals, raise the baud rate, or split the devices over two buses")
            }
        }
    }

    /// Estimated time of one request on a bus: RTU frames and 3.5-character gaps on serial, plus the
    /// configured request delay (TCP: the delay only; the network is assumed fast).
    static func wireSeconds(of request: ReadRequest, on bus: BusConfig) -> Double {
        let delay = DurationText.seconds(bus.requestDelay)
        guard case .serial(let settings) = bus.link else { return delay }
        let characterSeconds = Double(settings.bitsPerCharacter) / Double(max(settings.baud, 1))
        let answerBytes = request.table.isBitTable ? 5 + (request.count + 7) / 8 : 5 + 2 * request.count
        return Double(8 + answerBytes) * characterSeconds + 2 * 3.5 * characterSeconds + delay
    }
}

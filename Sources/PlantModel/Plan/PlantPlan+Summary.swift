import Foundation
import ModbusProtocol

extension PlantPlan {
    /// What `plantgate check` prints for a valid config: counts, load, and each device's read plan.
    public var summary: String {
        var out: [String] = []
        let deviceCount = buses.reduce(0) { $0 + $1.devices.count }
        let counts = [CountText.of(buses.count, "bus"), CountText.of(deviceCount, "device"), CountText.of(tags.count, "tag"), CountText.of(lines.count, "line")]
        out.append("site \(site.id) (\(site.timeZone)): \(counts.joined(separator: ", ")), " + String(format: "%.1f", requestsPerSecond) + " requests/s")
        for plan in buses {
            let link: String = switch plan.bus.link {
            case .tcp(let host, let port): "tcp \(host):\(port)"
            case .serial(let serial): "serial \(serial.device) \(serial.baud) \(serial.dataBits)\(serial.parity.rawValue)\(serial.stopBits)"
            }
            out.append("bus \(plan.bus.id) (\(link))")
            for device in plan.devices {
                let tagCount = tags.filter { $0.device == device.device }.count
                out.append("  device \(device.device) unit \(device.unit): \(CountText.of(tagCount, "tag")), " + String(format: "%.1f", device.requestsPerSecond) + " requests/s")
                for group in device.groups {
                    let requests = group.requests.map(\.description).joined(separator: ", ")
                    out.append("    every \(DurationText.format(group.interval)): \(requests)")
                }
            }
        }
        for line in lines {
            out.append("line \(line.id) (\(line.name)), product \(line.product.name)")
            for input in line.inputs {
                let factor = input.toBase == 1 ? "" : " ×\(input.toBase)"
                out.append("  \(input.role.configName) ← \(input.tagPath)\(factor) [\(input.role.baseUnit)]")
            }
        }
        out += warnings.map(\.description)
        return out.joined(separator: "\n")
    }
}

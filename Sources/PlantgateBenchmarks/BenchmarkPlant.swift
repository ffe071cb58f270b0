import PlantModel

/// Plant configurations for the benchmarks: meters with float32 and int64 registers (a power meter's
/// mix), spread over several buses.
enum BenchmarkPlant {
    /// `registers` registers in total over `buses` buses of `devicesPerBus` meters, polled every `interval`.
    static func yaml(registers: Int, buses: Int, devicesPerBus: Int, interval: String, ports: [Int],
                     tagType: String? = nil, publish: String = "on_change", mqttPort: Int = 1883) -> String {
        let perDevice = registers / (buses * devicesPerBus)
        var text = """
        site: {id: bench, time_zone: UTC}
        mqtt: {host: 127.0.0.1, port: \(mqttPort), prefix: plantgate, qos: 1, publish: {raw: \(publish)}}
        buses:

        """
        for bus in 0..<buses {
            text += "  - {id: bus\(bus), tcp: {host: 127.0.0.1, port: \(ports[bus])}, response_timeout: 500ms, retries: 1}\n"
        }
        text += "devices:\n"
        for bus in 0..<buses {
            for device in 0..<devicesPerBus {
                text += "  - id: m\(bus)-\(device)\n    bus: bus\(bus)\n    unit: \(device + 1)\n    interval: \(interval)\n    tags:\n"
                var address = 0, index = 0
                while true {
                    let type = tagType ?? (index % 2 == 0 ? "float32" : "int64")
                    let size = type == "float32" ? 2 : type == "int64" ? 4 : 1
                    guard address + size <= perDevice else { break }
                    text += "      t\(index): {register: \"holding:\(address)\", type: \(type)}\n"
                    address += size
                    index += 1
                }
            }
        }
        return text
    }

    static func plan(_ yaml: String) throws -> PlantPlan {
        switch ConfigLoader.load(yaml: yaml, file: "benchmark.yaml") {
        case .success(let loaded): return loaded.plan
        case .failure(let diagnostics): throw BenchmarkFailure("benchmark config does not compile: \(diagnostics)")
        }
    }

    /// Registers actually read by a plan.
    static func registerCount(_ plan: PlantPlan) -> Int {
        plan.tags.reduce(0) { $0 + $1.decode.registerCount }
    }
}

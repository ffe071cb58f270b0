import ArgumentParser
import Modbus
import ModbusProtocol
import PlantgateConsole
import PlantModel
import POSIX

/// `plantgate scan --sunspec`: one device's SunSpec model chain, and its inverter tags for plantgate.yaml.
extension ScanCommand {
    /// The unit walked: the one id of --units, or 1 when --units is left at its default range.
    var sunspecUnit: Int? {
        if units == "1-247" { return 1 }
        guard let ids = NumberList.parse(units, within: rtu != nil ? 1...247 : 0...255), ids.count == 1 else { return nil }
        return ids.first
    }

    /// `scan --sunspec --json`.
    struct SunSpecReport: Encodable {
        struct Model: Encodable {
            var id: Int
            var name: String
            var length: Int
            var address: Int
        }
        var place: String
        var unit: Int
        var base: Int
        var complete: Bool
        /// Manufacturer, model, version and serial from common model 1.
        var common: SunSpecCommon?
        var models: [Model]
        /// The inverter's tags as plantgate.yaml lines, when the chain holds a model 101–103.
        var inverterTags: String?
    }

    func scanSunSpec() async throws {
        guard let unit = sunspecUnit else { throw Console.fail(.usage("--sunspec walks one device: give --units N, e.g. --units 1")) }
        guard let endpoint = endpoints.first else { throw PlantgateExit.code(PlantgateExit.usage) }
        let seconds = max(timeout.seconds, 0.5)
        let result = await BlockingWork.run("scan-sunspec") { () -> Result<(SunSpecChain.Discovery, SunSpecCommon?), any Error> in
            let client = ModbusClient(endpoint: endpoint, timeouts: ModbusTimeouts(response: seconds, byte: min(seconds, 0.5)))
            do { try client.connect() } catch { return .failure(error) }
            defer { client.close() }
            let read = { (address: Int, count: Int) in try? client.readRegisters(.holding, unit: UInt8(clamping: unit), address: address, count: count) }
            do {
                let found = try SunSpecChain.discover(read: read)
                let common = found.models.first { $0.id == 1 && $0.length >= SunSpecCommon.length }
                    .flatMap { read($0.address + 2, SunSpecCommon.length) }.flatMap(SunSpecCommon.init(data:))
                return .success((found, common))
            } catch { return .failure(error) }
        }
        let place = rtu ?? tcp ?? ""
        let discovery: SunSpecChain.Discovery, common: SunSpecCommon?
        switch result {
        case .success(let found): (discovery, common) = found
        case .failure(let error as ModbusError): throw Console.fail(CLIFailure(error.description, status: PlantgateExit.unavailable))
        case .failure(let error): throw Console.fail(CLIFailure("\(place) unit \(unit): \(error)", status: PlantgateExit.finding))
        }
        let inverter = discovery.models.first { SunSpecInverterPoints.modelIDs.contains($0.id) }
        let tags = inverter.map { SunSpecInverterPoints.yaml(modelAddress: $0.address) }
        if json {
            let models = discovery.models.map { SunSpecReport.Model(id: $0.id, name: $0.name, length: $0.length, address: $0.address) }
            Console.out(try JSONText.encode(SunSpecReport(place: place, unit: unit, base: discovery.base, complete: discovery.complete,
                                                          common: common, models: models, inverterTags: tags)))
            return
        }
        var lines = ["SunSpec device on \(place) unit \(unit): \"SunS\" at \(discovery.base)"]
        if let common {
            lines.append("  \(common.manufacturer) \(common.model), version \(common.version), serial \(common.serial)")
        }
        var table = TextTable(headers: ["MODEL", "NAME", "LENGTH", "ADDRESS"], alignments: [.right, .left, .right, .right], indent: 2)
        for model in discovery.models {
            table.append([TextTable.Cell("\(model.id)"), TextTable.Cell(model.name), TextTable.Cell("\(model.length)"), TextTable.Cell("\(model.address)")])
        }
        lines.append(table.render(on: Terminal.standardOutput))
        lines.append(discovery.complete ? "end model (0xFFFF) reached after \(discovery.models.count) models"
                                        : Terminal.standardOutput.paint("the chain stopped before the end model (unreadable or broken model)", .warning))
        if let tags {
            lines.append("inverter tags (scale factors applied at every read):")
            lines.append(tags)
        }
        Console.out(lines.joined(separator: "\n"))
    }
}

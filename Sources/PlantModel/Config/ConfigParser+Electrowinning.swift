import Yams

extension ConfigParser {
    /// `lines[].electrowinning`: the tankhouse and its rectifier and cathode tags, as the spec and the
    /// inputs (with their written paths) the line gains.
    func parseElectrowinning(_ node: Node, _ path: String) -> (ElectrowinningSpec, [(InputConfig, String)])? {
        let keys = ["metal", "cells", "current", "energy", "voltage", "cathode", "harvests"]
        guard let fields = reader.mapping(node, path, allowed: keys) else { return nil }
        let metal = fields.required("metal", example: "cu")
            .flatMap { reader.choice($0, fields.path("metal"), what: "metal", from: ElectrowonMetal.allCases.map(\.rawValue)) }
            .flatMap(ElectrowonMetal.init(rawValue:))
        let cells = fields.required("cells", example: "96").flatMap { reader.int($0, fields.path("cells"), in: 1...10_000, what: " (cells in series on the rectifier)") }
        var inputs: [(InputConfig, String)] = []
        func tag(_ key: String, _ role: InputRole, example: String, required: Bool = true) {
            let node = required ? fields.required(key, example: example) : fields[key]
            guard let node, let tag = reader.string(node, fields.path(key)) else { return }
            guard tag.split(separator: "/", omittingEmptySubsequences: false).count == 2 else {
                reader.error(node, fields.path(key), "expected \"device/tag\", found \"\(tag.prefix(40))\"")
                return
            }
            inputs.append((InputConfig(tag: tag, role: role), fields.path(key)))
        }
        tag("current", .dcCurrent, example: "rectifier/dc_current")
        switch (fields["energy"], fields["voltage"]) {
        case (nil, nil):
            reader.error(node, path, "an electrowinning line needs the rectifier's DC energy: add `energy: rectifier/dc_energy` (a kWh counter) or `voltage: rectifier/dc_voltage` (V, integrated with the current)")
        case (.some, .some):
            reader.error(fields["voltage"], fields.path("voltage"), "give either energy (a DC kWh counter) or voltage (integrated V × I), not both; remove one")
        default:
            tag("energy", .dcEnergy, example: "rectifier/dc_energy", required: false)
            tag("voltage", .dcVoltage, example: "rectifier/dc_voltage", required: false)
        }
        tag("cathode", .cathode, example: "scale-cathode/total")
        guard inputs.count == 3 else { return nil }
        tag("harvests", .harvestCount, example: "scale-cathode/harvests", required: false)
        guard let metal, let cells else { return nil }
        return (ElectrowinningSpec(metal: metal, cells: cells), inputs)
    }
}

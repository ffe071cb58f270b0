import Yams

extension ConfigParser {
    func parseLine(_ node: Node, _ path: String) -> LineConfig? {
        guard let fields = reader.mapping(node, path, allowed: ["id", "name", "product", "inputs", "electrowinning", "baseline"]) else { return nil }
        let id = fields.requiredString("id", example: "lioh-1")
        if let id { checkIdentifier(id, fields["id"], fields.path("id")) }
        let product = fields.required("product", example: "{name: \"LiOH·H2O\", lce_factor: 0.8804}").flatMap { parseProduct($0, fields.path("product")) }
        let items = fields.required("inputs", example: "[{tag: pm-main/energy_import, role: electricity_import}]")
            .flatMap { reader.sequence($0, fields.path("inputs")) }
        let parsed = items?.compactMap { item, itemPath in parseInput(item, itemPath).map { ($0, itemPath) } }
        let tankhouse = fields["electrowinning"].map { parseElectrowinning($0, fields.path("electrowinning")) }
        if case .some(.none) = tankhouse { return nil }
        let baseline = fields["baseline"].map { parseBaseline($0, fields.path("baseline")) }
        if case .some(.none) = baseline { return nil }
        guard let id, let product, let parsed else { return nil }
        let all = parsed + (tankhouse??.1 ?? [])
        reader.damage.inputPaths.append(all.map(\.1))
        return LineConfig(id: id, name: fields.string("name") ?? id, product: product, inputs: all.map(\.0), electrowinning: tankhouse??.0,
                          baseline: baseline ?? nil)
    }

    func parseProduct(_ node: Node, _ path: String) -> ProductBasis? {
        guard let fields = reader.mapping(node, path, allowed: ["name", "lce_factor", "min_t"]) else { return nil }
        guard let name = fields.requiredString("name", example: "\"Cu cathode\"") else { return nil }
        let lce = fields.double("lce_factor")
        if let lce, !(lce > 0 && lce <= 2) {
            reader.error(fields["lce_factor"], fields.path("lce_factor"), "an LCE factor is t LCE per t product, > 0 and ≤ 2 (LiOH·H2O 0.8804, Li2CO3 1.0)")
        }
        let minimum = fields.double("min_t") ?? 0.1
        if minimum < 0 { reader.error(fields["min_t"], fields.path("min_t"), "min_t cannot be negative") }
        return ProductBasis(name: name, lceFactor: lce, minimumTonnes: minimum)
    }

    func parseInput(_ node: Node, _ path: String) -> InputConfig? {
        let keys = ["tag", "role", "fuel", "ncv_mj_per_nm3", "source", "destination", "quality", "strapping"]
        guard let fields = reader.mapping(node, path, allowed: keys) else { return nil }
        let tag = fields.requiredString("tag", example: "pm-main/energy_import")
        if let tag, tag.split(separator: "/", omittingEmptySubsequences: false).count != 2 {
            reader.error(fields["tag"], fields.path("tag"), "expected \"device/tag\", found \"\(tag.prefix(40))\"")
        }
        guard let roleName = fields.required("role", example: "electricity_import")
                .flatMap({ reader.choice($0, fields.path("role"), what: "role", from: InputRole.configNames) }) else { return nil }
        let sources = WaterSource.allCases.map(\.rawValue)
        let qualities = WaterQualityClass.allCases.map(\.rawValue)
        let role: InputRole
        switch roleName {
        case "electricity_import": role = .electricityImport
        case "electricity_export": role = .electricityExport
        case "active_power": role = .activePower
        case "reactive_import": role = .reactiveImport
        case "apparent_import": role = .apparentImport
        case "gas_volume": role = .gasVolume
        case "water_withdrawal", "water_discharge":
            let placeKey = roleName == "water_withdrawal" ? "source" : "destination"
            let place = fields.required(placeKey, example: sources[1]).flatMap {
                reader.choice($0, fields.path(placeKey), what: "water \(placeKey)", from: sources)
            }.flatMap(WaterSource.init(rawValue:)) ?? .surface
            let quality = fields.required("quality", example: "fresh").flatMap {
                reader.choice($0, fields.path("quality"), what: "water quality", from: qualities)
            }.flatMap(WaterQualityClass.init(rawValue:)) ?? .fresh
            role = roleName == "water_withdrawal" ? .waterWithdrawal(source: place, quality: quality) : .waterDischarge(destination: place, quality: quality)
        case "water_recycle": role = .waterRecycle
        case "storage_level": role = .storageLevel
        case "onsite_generation": role = .onsiteGeneration
        default: role = .product
        }
        var fuel: FuelSpec?
        if role == .gasVolume {
            let name = fields.requiredString("fuel", example: "natural_gas")
            let ncv = fields.requiredDouble("ncv_mj_per_nm3", example: "35.8")
            if let ncv, !(ncv > 0 && ncv < 200) {
                reader.error(fields["ncv_mj_per_nm3"], fields.path("ncv_mj_per_nm3"), "a net calorific value is > 0 and < 200 MJ/Nm3 (natural gas ≈ 34–38)")
            }
            if let name, let ncv { fuel = FuelSpec(fuel: name, ncvMJPerNm3: ncv) }
        } else {
            for key in ["fuel", "ncv_mj_per_nm3"] where fields[key] != nil {
                reader.error(fields[key], fields.path(key), "\(key) applies only to role gas_volume; remove it")
            }
        }
        let placeKeys: [String] = switch role {
        case .waterWithdrawal: ["destination"]
        case .waterDischarge: ["source"]
        default: ["source", "destination", "quality"]
        }
        for key in placeKeys where fields[key] != nil {
            reader.error(fields[key], fields.path(key), "\(key) does not apply to role \(roleName); remove it")
        }
        var strapping: StrappingTable?
        if role == .storageLevel {
            strapping = fields.required("strapping", example: "[[0, 0], [1.5, 2400], [3.0, 5200]]").flatMap {
                parseStrapping($0, fields.path("strapping"))
            }
            if strapping == nil { return nil }
        } else if fields["strapping"] != nil {
            reader.error(fields["strapping"], fields.path("strapping"), "strapping applies only to role storage_level; remove it")
        }
        guard let tag else { return nil }
        return InputConfig(tag: tag, role: role, fuel: fuel, strapping: strapping)
    }
}

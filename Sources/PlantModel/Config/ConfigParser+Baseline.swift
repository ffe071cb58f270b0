import Foundation
import Yams

extension ConfigParser {
    /// `lines[].baseline`: `{period, model: /abs/path.json}` (the file `plantgate baseline fit` writes) or
    /// `{period, energy, intercept, variables: [{name, coefficient, min, max}]}` written inline.
    func parseBaseline(_ node: Node, _ path: String) -> BaselineSpec? {
        guard let fields = reader.mapping(node, path, allowed: ["period", "energy", "model", "intercept", "variables"]) else { return nil }
        let period = fields.choice("period", what: "baseline period", from: BaselineSpec.Period.allCases.map(\.rawValue))
            .flatMap(BaselineSpec.Period.init(rawValue:))
        if fields["period"] != nil && period == nil { return nil }
        let energy = fields.string("energy")
        if let modelNode = fields["model"] {
            for key in ["intercept", "variables"] where fields[key] != nil {
                reader.error(fields[key], fields.path(key), "give either model (a fitted model file) or intercept and variables, not both; remove \(key)")
                return nil
            }
            guard let file = reader.string(modelNode, fields.path("model")) else { return nil }
            let where_ = fields.path("model")
            guard file.hasPrefix("/") else {
                reader.error(modelNode, where_, "\"\(file)\" is not an absolute path; start it with /")
                return nil
            }
            guard case .file(let data) = reader.files?(file), data.count <= FileLookup.readLimit else {
                reader.error(modelNode, where_, "\(file) cannot be read; write it with `plantgate baseline fit … -o \(file)` or correct the path")
                return nil
            }
            switch BaselineModelFile.parse(Data(data)) {
            case .failure(let problem):
                reader.error(modelNode, where_, "\(file) \(problem.message)")
                return nil
            case .success(var spec):
                if let period, period != spec.period {
                    reader.error(fields["period"], fields.path("period"), "\(file) was fitted on \(spec.period.rawValue) records, not \(period.rawValue); fit it with --period \(period.rawValue) or remove period")
                    return nil
                }
                if let energy, energy != spec.energy {
                    reader.error(fields["energy"], fields.path("energy"), "\(file) predicts \(spec.energy), not \(energy); fit it with --energy \(energy) or remove energy")
                    return nil
                }
                spec.period = period ?? spec.period
                return spec
            }
        }
        let intercept = fields.requiredDouble("intercept", example: "20000  (kWh; or `model: /etc/plantgate/line-baseline.json`)")
        let items = fields.required("variables", example: "[{name: product_t, coefficient: 1900, min: 45, max: 75}]")
            .flatMap { reader.sequence($0, fields.path("variables")) }
        var variables: [BaselineSpec.Variable] = []
        for (item, itemPath) in items ?? [] {
            guard let variable = parseBaselineVariable(item, itemPath) else { return nil }
            if variables.contains(where: { $0.name == variable.name }) {
                reader.error(item, itemPath, "variable \(variable.name) is listed twice; keep one")
                return nil
            }
            variables.append(variable)
        }
        if let items, items.isEmpty {
            reader.error(fields["variables"], fields.path("variables"), "a baseline needs at least one relevant variable, e.g. {name: product_t, coefficient: 1900, min: 45, max: 75}")
            return nil
        }
        guard let intercept, items != nil else { return nil }
        return BaselineSpec(period: period ?? .day, energy: energy ?? BaselineSpec.defaultEnergy, intercept: intercept, variables: variables)
    }

    private func parseBaselineVariable(_ node: Node, _ path: String) -> BaselineSpec.Variable? {
        guard let fields = reader.mapping(node, path, allowed: ["name", "coefficient", "min", "max"]) else { return nil }
        let name = fields.requiredString("name", example: "product_t")
        let coefficient = fields.requiredDouble("coefficient", example: "1900")
        let minimum = fields.requiredDouble("min", example: "45")
        let maximum = fields.requiredDouble("max", example: "75")
        guard let name, let coefficient, let minimum, let maximum else { return nil }
        guard minimum <= maximum else {
            reader.error(fields["max"], fields.path("max"), "max \(maximum) is below min \(minimum); give the reference period's range, min ≤ max")
            return nil
        }
        return .init(name: name, coefficient: coefficient, minimum: minimum, maximum: maximum)
    }
}

import Foundation

/// Reads the model JSON `plantgate baseline fit` writes (`{"period","energy","model":{"intercept",
/// "variables":[{"name","coefficient","min","max"}]}}`) into a `BaselineSpec`.
public enum BaselineModelFile {
    /// The spec, or what is wrong with the file in words that say the fix.
    public static func parse(_ data: Data) -> Result<BaselineSpec, BaselineModelFileError> {
        guard let object = try? JSONSerialization.jsonObject(with: data), let top = object as? [String: Any] else {
            return .failure(.init("is not JSON written by `plantgate baseline fit`; fit it again with -o FILE"))
        }
        guard let model = top["model"] as? [String: Any] else { return .failure(.init("has no \"model\" object; fit it again with `plantgate baseline fit … -o FILE`")) }
        guard let intercept = finite(model["intercept"]) else { return .failure(.init("has no numeric model.intercept")) }
        guard let items = model["variables"] as? [[String: Any]], !items.isEmpty else {
            return .failure(.init("has no model.variables; a baseline needs at least one relevant variable"))
        }
        var variables: [BaselineSpec.Variable] = []
        for (i, item) in items.enumerated() {
            guard let name = item["name"] as? String, !name.isEmpty, let coefficient = finite(item["coefficient"]),
                let minimum = finite(item["min"]), let maximum = finite(item["max"]), minimum <= maximum
            else {
                return .failure(.init("model.variables[\(i)] needs a name, a numeric coefficient and min ≤ max"))
            }
            variables.append(.init(name: name, coefficient: coefficient, minimum: minimum, maximum: maximum))
        }
        let periodText = top["period"] as? String ?? "day"
        guard let period = BaselineSpec.Period(rawValue: periodText) else {
            return .failure(.init("was fitted at period \"\(periodText)\"; a line baseline judges day or shift records: fit it with --period day or shift"))
        }
        let energy = top["energy"] as? String ?? BaselineSpec.defaultEnergy
        return .success(BaselineSpec(period: period, energy: energy, intercept: intercept, variables: variables))
    }

    private static func finite(_ value: Any?) -> Double? {
        guard let number = value as? NSNumber, !(value is Bool) else { return nil }
        let x = number.doubleValue
        return x.isFinite ? x : nil
    }
}

/// Why a baseline model file cannot serve.
public struct BaselineModelFileError: Error, Sendable, Hashable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

import Foundation

/// Reads the model JSON `plantgate baseline fit` writes (`{"period","energy","model":{"intercept",
/// "variables":[{"name","coefficient","min","max"}]}}`) into a `BaselineSpec`.
public enum BaselineModelFile {
    /// The spec, or what is wrong with the file in words that say the fix.
    public static func parse(_ data: Data) -> Result<BaselineSpec, BaselineModelFileError> {
        guard let top = try? JSONDecoder().decode(Written.self, from: data) else {
            return .failure(.init("is not JSON written by `plantgate baseline fit` (or a figure in it is not a number); fit it again with -o FILE"))
        }
        guard let model = top.model else { return .failure(.init("has no \"model\" object; fit it again with `plantgate baseline fit … -o FILE`")) }
        guard let intercept = model.intercept, intercept.isFinite else { return .failure(.init("has no numeric model.intercept")) }
        guard let items = model.variables, !items.isEmpty else {
            return .failure(.init("has no model.variables; a baseline needs at least one relevant variable"))
        }
        var variables: [BaselineSpec.Variable] = []
        for (i, item) in items.enumerated() {
            guard let name = item.name, !name.isEmpty, let coefficient = item.coefficient, let minimum = item.min, let maximum = item.max,
                coefficient.isFinite, minimum <= maximum
            else {
                return .failure(.init("model.variables[\(i)] needs a name, a numeric coefficient and min ≤ max"))
            }
            variables.append(.init(name: name, coefficient: coefficient, minimum: minimum, maximum: maximum))
        }
        let periodText = top.period ?? "day"
        guard let period = BaselineSpec.Period(rawValue: periodText) else {
            return .failure(.init("was fitted at period \"\(periodText)\"; a line baseline judges day or shift records: fit it with --period day or shift"))
        }
        return .success(BaselineSpec(period: period, energy: top.energy ?? BaselineSpec.defaultEnergy, intercept: intercept, variables: variables))
    }

    /// The fields read; everything else in the file (statistics, thresholds) is for people.
    private struct Written: Decodable {
        struct Model: Decodable {
            var intercept: Double?
            var variables: [Variable]?
        }

        struct Variable: Decodable {
            var name: String?
            var coefficient: Double?
            var min: Double?
            var max: Double?
        }

        var period: String?
        var energy: String?
        var model: Model?
    }
}

/// Why a baseline model file cannot serve.
public struct BaselineModelFileError: Error, Sendable, Hashable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

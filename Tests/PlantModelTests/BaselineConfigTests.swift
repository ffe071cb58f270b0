import Foundation
import Testing
@testable import PlantModel

/// `lines[].baseline`: a fitted model file or inline coefficients, and the period kind it judges.
@Suite struct BaselineConfigTests {
    /// A config whose line's `baseline:` block is `block` (at line 20).
    static func yaml(_ block: String) -> String {
        CopperLineYAML.text(meter: .init(id: "pm-ew", unit: 1, profile: "schneider-pm5xxx"),
                            inputs: ["{tag: pm-ew/energy_import, role: electricity_import}", "{tag: scale/total, role: product}"],
                            key: "baseline", block: block)
    }

    static let inline = "{period: day, intercept: 20000, variables: [{name: product_t, coefficient: 1900, min: 45.2, max: 74.6}]}"
    static let spec = BaselineSpec(period: .day, energy: "electricity_import_kwh", intercept: 20_000,
                                   variables: [.init(name: "product_t", coefficient: 1_900, minimum: 45.2, maximum: 74.6)])

    /// The shape `plantgate baseline fit -o FILE` writes (statistics trimmed).
    static let fitted = """
        {"energy":"electricity_import_kwh","line":"ew-1","period":"day",
         "model":{"intercept":20114.2,"intercept_std_error":1444.0,"statistics":{"n":30},
          "variables":[{"coefficient":1899.9,"max":74.608,"min":45.196,"name":"product_t","std_error":23.3}]}}
        """

    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("baseline-\(UUID().uuidString).json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func inlineCoefficientsBecomeTheLinesBaseline() throws {
        let plan = try ConfigLoader.load(yaml: Self.yaml(Self.inline)).get().plan
        #expect(plan.lines.first?.baseline == Self.spec)
    }

    @Test func aFittedModelFileIsRead() throws {
        let path = try Self.file(Self.fitted)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let plan = try ConfigLoader.load(yaml: Self.yaml("{model: \(path)}"), files: Fixtures.disk).get().plan
        let baseline = try #require(plan.lines.first?.baseline)
        #expect(baseline == BaselineSpec(period: .day, energy: "electricity_import_kwh", intercept: 20114.2,
                                         variables: [.init(name: "product_t", coefficient: 1899.9, minimum: 45.196, maximum: 74.608)]))
    }

    @Test func dumpThenLoadKeepsTheBaseline() throws {
        let first = try ConfigLoader.load(yaml: Self.yaml(Self.inline)).get().config
        let text = try ConfigDumper.dump(first)
        let second = try ConfigLoader.load(yaml: text, file: "dumped.yaml").get().config
        #expect(second.lines == first.lines, "dumped: \(text)")
    }

    @Test func modelFileMistakesAreNamedWithTheirPlace() throws {
        let broken = try Self.file("{\"model\": {\"intercept\": 1}}")
        let weekly = try Self.file(Self.fitted.replacingOccurrences(of: "\"period\":\"day\"", with: "\"period\":\"hour\""))
        let good = try Self.file(Self.fitted)
        defer { for p in [broken, weekly, good] { try? FileManager.default.removeItem(atPath: p) } }
        let cases = [
            ("{model: ew-1.json}", "plantgate.yaml:20: lines[0].baseline.model: \"ew-1.json\" is not an absolute path"),
            ("{model: /nonexistent/ew-1.json}", "plantgate.yaml:20: lines[0].baseline.model: /nonexistent/ew-1.json cannot be read; write it with `plantgate baseline fit"),
            ("{model: \(broken)}", "plantgate.yaml:20: lines[0].baseline.model: \(broken) has no model.variables"),
            ("{model: \(weekly)}", "plantgate.yaml:20: lines[0].baseline.model: \(weekly) was fitted at period \"hour\""),
            ("{period: shift, model: \(good)}", "plantgate.yaml:20: lines[0].baseline.period: \(good) was fitted on day records, not shift"),
            ("{model: \(good), intercept: 3}", "plantgate.yaml:20: lines[0].baseline.intercept: give either model"),
        ]
        for (block, expected) in cases {
            let messages = Fixtures.messages(Self.yaml(block))
            #expect(messages.contains { $0.hasPrefix(expected) }, "got: \(messages)")
        }
    }

    @Test(arguments: [
        ("{period: week, intercept: 1, variables: [{name: product_t, coefficient: 1, min: 0, max: 1}]}",
         "plantgate.yaml:20: lines[0].baseline.period"),
        ("{period: shift, intercept: 1, variables: [{name: product_t, coefficient: 1, min: 0, max: 1}]}",
         "plantgate.yaml:20: lines[0].baseline: the baseline judges shift records, but site.shifts is empty"),
        ("{intercept: 1}", "plantgate.yaml:20: lines[0].baseline: missing required key \"variables\""),
        ("{intercept: 1, variables: []}", "plantgate.yaml:20: lines[0].baseline.variables: a baseline needs at least one relevant variable"),
        ("{intercept: 1, variables: [{name: product_t, coefficient: 1, min: 5, max: 1}]}",
         "plantgate.yaml:20: lines[0].baseline.variables[0].max: max 1.0 is below min 5.0"),
        ("{intercept: 1, variables: [{name: product_t, coefficient: x, min: 0, max: 1}]}",
         "plantgate.yaml:20: lines[0].baseline.variables[0].coefficient"),
    ])
    func inlineMistakesAreNamedWithTheirPlace(block: String, expected: String) {
        let messages = Fixtures.messages(Self.yaml(block))
        #expect(messages.contains { $0.hasPrefix(expected) }, "got: \(messages)")
    }
}

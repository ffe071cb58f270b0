import ArgumentParser
import ESG
import Foundation
import PlantgateConsole

/// `plantgate baseline`: energy baselines (ISO 50006) from closed period records.
struct BaselineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Fit and check energy baselines from closed period records (docs/energy-performance.md).",
        subcommands: [BaselineFitCommand.self]
    )
}

/// `plantgate baseline fit`: OLS fit of `energy = β0 + Σ βk·variable_k` over a reference period.
struct BaselineFitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit a line's energy baseline over closed period records and write the model with its statistics.",
        discussion: """
            RECORDS is a JSON-lines file of period record payloads (docs/mqtt.md), e.g. saved with \
            mosquitto_sub -t 'plantgate/SITE/lines/LINE/periods/day'. Records of other lines or period kinds are \
            ignored, duplicates (same seq) counted once, records with a bad or missing value left out and listed.

            Exit status: 0 fitted and within the thresholds, 1 fitted but outside them (the model is still \
            written) or too few usable records, 2 usage or an unreadable file.
            """
    )

    @Argument(help: "JSON-lines file of period records.", completion: .file()) var records: String
    @Option(help: "The line id.") var line: String
    @Option(help: "Period kind: day, shift, month (or hour).") var period = "day"
    @Option(help: "The energy metric (kWh).") var energy = "electricity_import_kwh"
    @Option(name: .customLong("variable"), help: "A relevant-variable metric, e.g. product_t (repeatable).") var variables: [String] = []
    @Option(help: "Thresholds: hourly (day/shift models) or monthly (ASHRAE Guideline 14).") var thresholds: String?
    @Option(name: [.customShort("o"), .customLong("output")], help: "Write the model JSON here (default: stdout).") var output: String?

    func validate() throws {
        guard !variables.isEmpty else { throw ValidationError("give at least one --variable, e.g. --variable product_t") }
        if let thresholds, !["hourly", "monthly"].contains(thresholds) { throw ValidationError("--thresholds \(thresholds): use hourly or monthly") }
    }

    /// The model file: the model, where it came from and whether it meets its thresholds.
    struct ModelFile: Encodable {
        var line: String
        var period: String
        var energy: String
        var from: String
        var to: String
        var skipped: [String]
        var thresholds: BaselineThresholds
        var meetsThresholds: Bool
        var violations: [String]
        var model: BaselineModel

        enum CodingKeys: String, CodingKey {
            case line, period, energy, from, to, skipped, thresholds, meetsThresholds = "meets_thresholds", violations, model
        }
    }

    func run() async throws {
        let selection: PeriodRecordFile.Selection
        do {
            selection = try PeriodRecordFile.read(path: records, line: line, period: period, metrics: [energy] + variables)
        } catch let error as PeriodRecordFile.Malformed {
            throw Console.fail(.usage(error.description))
        } catch {
            throw Console.fail(.usage("cannot read \(records): \(error.localizedDescription)"))
        }
        let observations = selection.rows.map { BaselineFit.Observation(energy: $0.values[0], variables: Array($0.values.dropFirst())) }
        let model: BaselineModel
        do {
            model = try BaselineFit.fit(observations, variables: variables)
        } catch {
            throw Console.fail(CLIFailure("\(records), line \(line), \(period) records: \(error.description)", status: PlantgateExit.finding))
        }
        let limits = (thresholds ?? (period == "month" ? "monthly" : "hourly")) == "monthly" ? BaselineThresholds.monthly : .hourly
        let violations = limits.violations(of: model.statistics)
        let file = ModelFile(line: line, period: period, energy: energy, from: selection.rows.map(\.start).min() ?? "",
                             to: selection.rows.map(\.end).max() ?? "", skipped: selection.skipped, thresholds: limits,
                             meetsThresholds: violations.isEmpty, violations: violations, model: model)
        let json = try JSONText.encode(file)
        if let output {
            try json.write(toFile: output, atomically: true, encoding: .utf8)
        } else {
            Console.out(json)
        }
        Console.error(summary(model, violations: violations, skipped: selection.skipped.count))
        if !violations.isEmpty { throw PlantgateExit.code(PlantgateExit.finding) }
    }

    private func summary(_ model: BaselineModel, violations: [String], skipped: Int) -> String {
        let s = model.statistics
        func round(_ x: Double, _ digits: Double = 1000) -> Double { (x * digits).rounded() / digits }
        var lines = ["\(line) \(period) baseline: \(energy) = \(round(model.intercept)) ± \(round(model.interceptStandardError))"
            + model.variables.map { " + \(round($0.coefficient)) ± \(round($0.standardError))·\($0.name)" }.joined()]
        lines.append("n \(s.n) (\(skipped) skipped), R² \(round(s.rSquared)), R²adj \(round(s.adjustedRSquared)), "
                     + "CV(RMSE) \(round(s.cvRMSE * 100, 10)) %, NMBE \(round(s.nmbe * 100, 10)) %")
        lines.append(violations.isEmpty ? "within the ASHRAE Guideline 14 thresholds" : "outside the thresholds: " + violations.joined(separator: "; "))
        return lines.joined(separator: "\n")
    }
}

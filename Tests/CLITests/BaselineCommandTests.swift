import Foundation
import TestSupport
import Testing

/// `plantgate baseline fit` on JSON-lines files of day records from a synthetic line with a known model:
/// kWh = 20,000 + 1,900·t + noise.
@Suite("plantgate baseline fit")
struct BaselineCommandTests {
    /// One day record as the daemon publishes it (only the fields the fit reads, plus a few others).
    static func record(line: String = "ew-1", day: Int, seq: Int, kwh: Double, tonnes: Double, productQuality: String = "good") -> String {
        let start = String(format: "2026-01-%02dT04:00:00.000Z", day), end = String(format: "2026-01-%02dT04:00:00.000Z", day + 1)
        return #"{"line":"\#(line)","period":"day","start":"\#(start)","end":"\#(end)","label":"2026-01-\#(String(format: "%02d", day))","hours":24,"seq":\#(seq),"#
            + #""metrics":{"electricity_import_kwh":{"v":\#(kwh),"u":"kWh","q":"good","cov":1,"est":0},"#
            + #""product_t":{"v":\#(tonnes),"u":"t","q":"\#(productQuality)","cov":1,"est":0}},"reasons":[]}"#
    }

    /// 30 days; noise is a fixed ±`noise` pattern so the file is the same every run.
    static func days(noise: Double) -> [String] {
        (1...30).map { day in
            let tonnes = 60 + 15 * sin(Double(day) * 0.9)
            let wiggle = noise * [0.8, -1.1, 0.3, 1.4, -0.6, -0.9, 1.0, -0.2][day % 8]
            return record(day: day, seq: 100 + day, kwh: 20_000 + 1_900 * tonnes + wiggle, tonnes: tonnes)
        }
    }

    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("baseline-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func fitsTheLineAndWritesTheModelWithItsStatistics() async throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lines = Self.days(noise: 1_500) + [
            Self.days(noise: 1_500)[4],                                                   // a duplicate (same seq)
            Self.record(day: 31, seq: 131, kwh: 1, tonnes: 70, productQuality: "bad"),   // left out
            Self.record(line: "other", day: 5, seq: 7, kwh: 9e9, tonnes: 1),             // another line
        ]
        let file = dir.appendingPathComponent("days.jsonl").path, model = dir.appendingPathComponent("model.json").path
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let result = try await PlantgateBinary.run(["baseline", "fit", file, "--line", "ew-1", "--variable", "product_t", "-o", model])
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(result.standardError.contains("within the ASHRAE Guideline 14 thresholds"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model))) as? [String: Any])
        #expect(json["meets_thresholds"] as? Bool == true)
        #expect((json["skipped"] as? [String])?.contains { $0.contains("2026-01-31") && $0.contains("product_t is bad") } == true)
        let fit = try #require(json["model"] as? [String: Any])
        let stats = try #require(fit["statistics"] as? [String: Any])
        #expect(stats["n"] as? Int == 30)
        #expect(stats["cv_rmse"] is Double && stats["nmbe"] is Double && stats["r2_adj"] is Double)
        let variable = try #require((fit["variables"] as? [[String: Any]])?.first)
        let slope = try #require(variable["coefficient"] as? Double), error = try #require(variable["std_error"] as? Double)
        #expect(abs(slope - 1_900) <= 3 * error, "slope \(slope) ± \(error)")
        #expect((variable["min"] as? Double ?? 0) < 50 && (variable["max"] as? Double ?? 0) > 70)
    }

    @Test func aModelOutsideTheThresholdsIsStillWrittenAndExitsOne() async throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("days.jsonl").path
        try Self.days(noise: 60_000).joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let result = try await PlantgateBinary.run(["baseline", "fit", file, "--line", "ew-1", "--variable", "product_t"])
        #expect(result.exitCode == 1)
        #expect(result.standardError.contains("outside the thresholds") && result.standardError.contains("CV(RMSE)"))
        let json = try #require(try PlantgateBinary.json(result) as? [String: Any])
        #expect(json["meets_thresholds"] as? Bool == false)
    }

    @Test func aBrokenLineIsNamedByFileAndLine() async throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("days.jsonl").path
        try (Self.days(noise: 0).prefix(3) + ["{not json"]).joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let result = try await PlantgateBinary.run(["baseline", "fit", file, "--line", "ew-1", "--variable", "product_t"])
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains("days.jsonl:4"))
    }
}

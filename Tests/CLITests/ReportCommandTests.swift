import Foundation
import TestSupport
import Testing

/// `plantgate report` on a ledger the real daemon made from the simulated plant, read as an auditor reads
/// it: the page rendered by headless Chromium, the footprint checked against the PACT v3 schema.
@Suite("plantgate report", .serialized, .timeLimit(.minutes(5)))
struct ReportCommandTests {
    static let fixtures = PlantgateBinary.packageRoot.appendingPathComponent("Tests/CLITests/ReportFixtures")
    static let chromium = "/usr/bin/chromium"

    @Test func theDaemonsLedgerMakesAPageAndAFootprint() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.chromium), "chromium is missing: run Deploy/install-deps.sh")
        let plant = try await ReportPlant()
        do {
            try await check(plant)
        } catch {
            await plant.stop()
            throw error
        }
        await plant.stop()
    }

    private func check(_ plant: ReportPlant) async throws {
        #expect(await plant.runThroughTheFirstDay(), "log: \(plant.daemon.log)")
        let key = try await PlantgateBinary.run(["ledger", "key", "-c", plant.config])
        let keyID = try #require(key.outputLines.first?.split(separator: " ").last.map(String.init), "\(key.standardError)")

        let page = plant.directory.appendingPathComponent("report.html").path
        let report = try await PlantgateBinary.run(["report", "-c", plant.config, "--line", "lioh-1", "--html", page], timeout: .seconds(60))
        #expect(report.exitCode == 0, "\(report.standardOutput)\(report.standardError)")
        try await checkRendered(page, keyID: keyID, in: plant.directory)

        let pcf = try await PlantgateBinary.run(["report", "-c", plant.config, "--line", "lioh-1", "--pcf"], timeout: .seconds(60))
        #expect(pcf.exitCode == 0, "\(pcf.standardError)")
        try await checkFootprint(pcf.standardOutput, in: plant.directory)

        // Without report: keys, the footprint names what to add.
        let bare = plant.directory.appendingPathComponent("bare.yaml").path
        try String(contentsOfFile: plant.config, encoding: .utf8).replacingOccurrences(of: ReportPlant.reportSection, with: "\n")
            .write(toFile: bare, atomically: true, encoding: .utf8)
        let missing = try await PlantgateBinary.run(["report", "-c", bare, "--line", "lioh-1", "--pcf"], timeout: .seconds(60))
        #expect(missing.exitCode == 78)
        #expect(missing.standardError.contains("report.company_name: Example Lithium LLP"), "\(missing.standardError)")
        #expect(missing.standardError.contains("report.products.lioh-1.ids:"))

        try await checkBrokenChain(plant, page: page)
    }

    /// Chromium renders the page: its text says what an auditor looks for, each chart drew marks, and the
    /// screenshot is not blank.
    private func checkRendered(_ page: String, keyID: String, in directory: URL) async throws {
        let profile = directory.appendingPathComponent("chromium").path
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)", "--window-size=1200,4000"]
        let dom = try await ProcessRunner.run(Self.chromium, common + ["--dump-dom", "file://\(page)"], timeout: .seconds(90))
        #expect(dom.exitCode == 0, "\(dom.standardError)")
        let text = dom.standardOutput
        #expect(text.contains("<code id=\"key-id\">\(keyID)</code>"))
        #expect(text.contains("Ledger verified"))
        #expect(text.contains("(line lioh-1, site kz-lioh)"))
        let days = try #require(section(text, from: "<table id=\"days\"", to: "</table>"))
        let rows = occurrences(of: "<tr class=\"day\">", in: days)
        #expect(rows >= 2, "the 9th (from 22:00 local on) and the whole 10th: \(days)")
        #expect(days.contains("<td>2026-03-09</td>") && days.contains("<td>2026-03-10</td>"), "\(days)")
        #expect(occurrences(of: "day record", in: days) >= 2)
        for (chart, perDay) in [("chart-energy", 1), ("chart-water", 4), ("chart-coverage", 1)] {
            let svg = try #require(section(text, from: "<svg id=\"\(chart)\"", to: "</svg>"), "no \(chart)")
            #expect(occurrences(of: "<rect class=\"mark\"", in: svg) >= rows * perDay, "\(chart): \(svg.prefix(600))")
        }
        let energy = try #require(section(text, from: "<svg id=\"chart-energy\"", to: "</svg>"))
        #expect(occurrences(of: "<polyline class=\"mark\"", in: energy) == 1)
        #expect(text.contains("<td>start</td>") && text.contains("<td>stop</td>") && text.contains("<td>key-created</td>"))
        #expect(text.contains("<td>meter-reset</td>") && text.contains("tag=pm-aux/energy_import"), "the swap of pm-aux")

        let png = directory.appendingPathComponent("report.png").path
        let shot = try await ProcessRunner.run(Self.chromium, common + ["--screenshot=\(png)", "file://\(page)"], timeout: .seconds(90))
        #expect(shot.exitCode == 0, "\(shot.standardError)")
        let ink = try await ProcessRunner.run("/usr/bin/python3", [Self.fixtures.appendingPathComponent("png-ink.py").path, png], timeout: .seconds(120))
        let figures = ink.standardOutput.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(figures.count == 3, "\(ink.standardOutput)\(ink.standardError)")
        if figures.count == 3 {
            let share = Double(figures[2]) / Double(figures[0] * figures[1])
            #expect(share > 0.01 && share < 0.9, "inked share of the screenshot: \(share)")
        }
    }

    /// The footprint validates against the PACT v3 schema, and the validator does reject a broken copy.
    private func checkFootprint(_ json: String, in directory: URL) async throws {
        let file = directory.appendingPathComponent("pcf.json").path
        try json.write(toFile: file, atomically: true, encoding: .utf8)
        let checker = Self.fixtures.appendingPathComponent("check-pcf.py").path
        let valid = try await ProcessRunner.run("/usr/bin/python3", [checker, file], timeout: .seconds(60))
        #expect(valid.exitCode == 0, "\(valid.standardOutput)\(valid.standardError)\n\(json)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let pcf = try #require(object["pcf"] as? [String: Any])
        let perKilogram = try #require(Double(pcf["pcfExcludingBiogenicUptake"] as? String ?? ""))
        // The simulated LiOH line: ~3.5 MWh and ~71 GJ of gas per tonne, i.e. a few kgCO2e per kg.
        #expect(perKilogram > 1 && perKilogram < 15, "\(perKilogram) kgCO2e/kg")
        // The 9th's day record spans the whole local day (midnight in Almaty is 19:00 UTC); its coverage says how little was measured.
        #expect(pcf["referencePeriodStart"] as? String == "2026-03-08T19:00:00Z")
        #expect((pcf["boundaryProcessesDescription"] as? String)?.contains("Not included and not measured here: upstream") == true)

        let broken = json.replacingOccurrences(of: #""declaredUnitAmount"\s*:\s*"1""#, with: "\"declaredUnitAmount\":1", options: .regularExpression)
        #expect(broken != json)
        try broken.write(toFile: file, atomically: true, encoding: .utf8)
        let invalid = try await ProcessRunner.run("/usr/bin/python3", [checker, file], timeout: .seconds(60))
        #expect(invalid.exitCode == 1)
        #expect(invalid.standardOutput.contains("pcf/declaredUnitAmount"), "\(invalid.standardOutput)")
    }

    /// One changed byte in a stored record: the page still renders, says so loudly, and the command exits 1;
    /// no footprint comes from it.
    private func checkBrokenChain(_ plant: ReportPlant, page: String) async throws {
        let database = plant.directory.appendingPathComponent("state/ledger.sqlite").path
        let tamper = try await ProcessRunner.run("/usr/bin/sqlite3", [database,
            "UPDATE ledger_entry SET bytes = CAST(replace(CAST(bytes AS TEXT), '\"reasons\":[', '\"reasons\" :[') AS BLOB) WHERE n = (SELECT min(n) FROM ledger_entry WHERE kind = 'period');"])
        #expect(tamper.exitCode == 0, "\(tamper.standardError)")
        let report = try await PlantgateBinary.run(["report", "-c", plant.config, "--line", "lioh-1", "--html", page], timeout: .seconds(60))
        #expect(report.exitCode == 1)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("LEDGER DOES NOT VERIFY"))
        #expect(html.contains("the signed bytes changed"))
        let pcf = try await PlantgateBinary.run(["report", "-c", plant.config, "--line", "lioh-1", "--pcf"], timeout: .seconds(60))
        #expect(pcf.exitCode == 1)
        #expect(pcf.standardOutput.isEmpty)
        #expect(pcf.standardError.contains("no footprint is written from a ledger that does not verify"))
    }

    @Test func anUnknownLineListsTheLines() async throws {
        let scratch = try ScratchDirectory()
        let config = try String(contentsOf: PlantgateBinary.packageRoot.appendingPathComponent("Deploy/examples/lithium-hydroxide.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "state_dir: /var/lib/plantgate", with: "state_dir: \(scratch.path)/state")
        let file = try scratch.write("plantgate.yaml", config)
        let result = try await PlantgateBinary.run(["report", "-c", file, "--line", "lioh-2", "--html", scratch.path + "/r.html"])
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains("no line \"lioh-2\" in \(file); did you mean \"lioh-1\"? its lines are: lioh-1"), "\(result.standardError)")
    }

    @Test func htmlOrPcfIsNeeded() async throws {
        let neither = try await PlantgateBinary.run(["report", "--line", "lioh-1"])
        #expect(neither.exitCode == 2)
        #expect(neither.standardError.contains("give either --html FILE or --pcf"))
        let both = try await PlantgateBinary.run(["report", "--line", "lioh-1", "--pcf", "--html", "/tmp/x.html"])
        #expect(both.exitCode == 2)
    }

    private func section(_ text: String, from start: String, to end: String) -> String? {
        guard let open = text.range(of: start), let close = text.range(of: end, range: open.upperBound..<text.endIndex) else { return nil }
        return String(text[open.lowerBound..<close.upperBound])
    }

    private func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }
}

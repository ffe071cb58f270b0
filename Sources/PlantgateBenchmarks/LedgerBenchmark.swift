import ESG
import Foundation
import Gateway
import Ledger
import Logging
import PlantModel

/// The ledger's costs: append (sign, hash, one SQLite transaction with `synchronous = FULL`, as the daemon
/// does per closed record), verification throughput, and bytes on disk per entry, on a real closed record.
struct LedgerBenchmarkResult: Codable {
    var entries: Int
    var recordBytes: Int
    /// Sign, hash and store in one go on the calling thread (how the engine thread appended before the ledger thread).
    var appendMeanMicroseconds: Double
    var appendP99Microseconds: Double
    /// What the engine thread spends now per record: `LedgerWriter.seal` signs and hands over; the ledger thread stores.
    var engineSealMeanMicroseconds: Double
    var engineSealP99Microseconds: Double
    /// The ledger thread's time to store one entry (one transaction with its fsync), off the engine thread.
    var ledgerThreadMeanMicroseconds: Double
    var verifyEntriesPerSecond: Double
    var databaseBytesPerEntry: Double
    /// Records a line closes in a year at the default periods (15 min, hour, two shifts, day, month).
    var recordsPerLineYear: Int
    var megabytesPerLineYear: Double
}

enum LedgerBenchmark {
    /// A closed 15-minute record of the lithium-hydroxide line, as `plantgated` published it in a simulator run.
    static let record =
        "{\"line\":\"lioh-1\",\"period\":\"15min\",\"start\":\"2026-03-09T18:30:00Z\",\"end\":\"2026-03-09T18:45:00Z\",\"label\":\"2026-03" +
        "-09T23:30+05:00\",\"hours\":0.25,\"seq\":1,\"metrics\":{\"electricity_import_kwh\":{\"v\":2073.970332072939,\"u\":\"kWh\",\"q\"" +
        ":\"uncertain\",\"cov\":0.9323630144,\"est\":0},\"power_kw\":{\"v\":8644.832852295827,\"u\":\"kW\",\"q\":\"uncertain\",\"cov\":0.93" +
        "37592554666667,\"est\":0},\"reactive_import_kvarh\":{\"v\":864.1206465862779,\"u\":\"kvarh\",\"q\":\"uncertain\",\"cov\":0.932" +
        "4106208,\"est\":0},\"power_factor_avg\":{\"v\":0.9230822415777611,\"u\":\"1\",\"q\":\"uncertain\",\"cov\":0.9323630144,\"est\":0" +
        "},\"gas_volume_nm3\":{\"v\":1135.9140803222251,\"u\":\"Nm3\",\"q\":\"uncertain\",\"cov\":0.9312214021333334,\"est\":0},\"gas_en" +
        "ergy_gj\":{\"v\":40.66572407553566,\"u\":\"GJ\",\"q\":\"uncertain\",\"cov\":0.9312214021333334,\"est\":0},\"scope1_combustion_" +
        "tco2e\":{\"v\":2.283380406841327,\"u\":\"tCO2e\",\"q\":\"uncertain\",\"cov\":0.9312214021333334,\"est\":0},\"energy_total_gj\":" +
        "{\"v\":48.13201727099824,\"u\":\"GJ\",\"q\":\"uncertain\",\"cov\":0.9312214021333334,\"est\":0},\"scope2_lb_tco2e\":{\"v\":1.659" +
        "1762656583513,\"u\":\"tCO2e\",\"q\":\"uncertain\",\"cov\":0.9323630144,\"est\":0},\"product_t\":{\"v\":0.5630865925826343,\"u\":" +
        "\"t\",\"q\":\"uncertain\",\"cov\":0.9311820741333333,\"est\":0},\"product_lce_t\":{\"v\":0.4957414361097512,\"u\":\"t\",\"q\":\"unc" +
        "ertain\",\"cov\":0.9311820741333333,\"est\":0},\"sec_electric_kwh_per_t\":{\"v\":3683.217393901239,\"u\":\"kWh/t\",\"q\":\"unc" +
        "ertain\",\"cov\":0.9311820741333333,\"est\":0},\"sec_total_gj_per_t\":{\"v\":85.47889064493177,\"u\":\"GJ/t\",\"q\":\"uncertai" +
        "n\",\"cov\":0.9311820741333333,\"est\":0},\"ghg_intensity_kgco2e_per_t\":{\"v\":7001.688060830713,\"u\":\"kgCO2e/t\",\"q\":\"u" +
        "ncertain\",\"cov\":0.9311820741333333,\"est\":0},\"water_withdrawal_m3\":{\"v\":6.3819916943678345,\"u\":\"m3\",\"q\":\"uncert" +
        "ain\",\"cov\":0.9342152133333333,\"est\":0},\"water_withdrawal_m3.groundwater.fresh\":{\"v\":6.3819916943678345,\"u\":\"m3" +
        "\",\"q\":\"uncertain\",\"cov\":0.9342152133333333,\"est\":0},\"water_discharge_m3\":{\"v\":5.045676884817414,\"u\":\"m3\",\"q\":\"" +
        "uncertain\",\"cov\":0.932462896,\"est\":0},\"water_discharge_m3.surface.other\":{\"v\":5.045676884817414,\"u\":\"m3\",\"q\":\"" +
        "uncertain\",\"cov\":0.932462896,\"est\":0},\"water_consumption_m3\":{\"v\":1.3363148095504203,\"u\":\"m3\",\"q\":\"uncertain\"," +
        "\"cov\":0.932462896,\"est\":0},\"water_recycled_m3\":{\"v\":9.016040686541546,\"u\":\"m3\",\"q\":\"uncertain\",\"cov\":0.9334664" +
        "736,\"est\":0},\"water_reuse_efficiency\":{\"v\":0.5855319993819285,\"u\":\"1\",\"q\":\"uncertain\",\"cov\":0.9334664736,\"est\"" +
        ":0},\"water_intensity_m3_per_t\":{\"v\":11.333943621524362,\"u\":\"m3/t\",\"q\":\"uncertain\",\"cov\":0.9311820741333333,\"es" +
        "t\":0}},\"reasons\":[],\"counters\":{\"pm-main/energy_import\":{\"start\":430.243,\"end\":2502.286,\"u\":\"kWh\"},\"pm-aux/ene" +
        "rgy_import\":{\"start\":12.571319580078125,\"end\":72.90199279785156,\"u\":\"kWh\"},\"pm-main/reactive_import\":{\"start\":" +
        "187.519,\"end\":1076.226,\"u\":\"kvarh\"},\"gas-calciner/volume_corrected\":{\"start\":243.65,\"end\":1411.97,\"u\":\"Nm3\"},\"" +
        "fm-intake/volume_total\":{\"start\":1.3602886199951172,\"end\":7.918969631195068,\"u\":\"m3\"},\"fm-recycle/volume_total" +
        "\":{\"start\":1.9125041961669922,\"end\":11.184602737426758,\"u\":\"m3\"},\"fm-discharge/volume_total\":{\"start\":1.096824" +
        "049949646,\"end\":6.284783840179443,\"u\":\"m3\"},\"scale-product/total\":{\"start\":0.121,\"end\":0.7000000000000001,\"u\":" +
        "\"t\"}},\"factors\":{\"grid\":{\"id\":\"kz-ember-2024\",\"value\":0.8,\"unit\":\"kgCO2e/kWh\",\"source\":\"Ember 2024\",\"vintage\":" +
        "2024},\"fuel:natural_gas\":{\"id\":\"ipcc2006-ng\",\"value\":56.15,\"unit\":\"kgCO2e/GJ\",\"source\":\"IPCC 2006\"},\"ncv:gas-c" +
        "alciner/volume_corrected\":{\"id\":\"natural_gas\",\"value\":35.8,\"unit\":\"MJ/Nm3\",\"source\":\"config\"},\"lce\":{\"id\":\"lce" +
        ":LiOH·H2O\",\"value\":0.8804,\"unit\":\"t LCE/t\",\"source\":\"molar masses\"}},\"gwp\":\"AR6\",\"product_basis\":\"LiOH·H2O\"}"

    static func run(entries: Int) throws -> LedgerBenchmarkResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plantgate-ledger-bench-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try LedgerStore(directory: directory)
        let signer = SoftwareSigner()
        var chain = LedgerChain(site: "kz-lioh", signer: signer)
        var durations: [Double] = []
        for seq in 1...entries {
            let text = record.replacingOccurrences(of: "\"seq\":1,", with: "\"seq\":\(seq),")
            let start = DispatchTime.now().uptimeNanoseconds
            let entry = try chain.append(text, kind: "period", at: UTCTimestamp.rfc3339(Int64(seq) * 900_000_000_000))
            try store.append(entry)
            durations.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000)
        }
        let (seal, stored) = try engineSide(entries: min(entries, 1_000))
        let lines = try store.lines()
        let verifyStart = DispatchTime.now().uptimeNanoseconds
        let result = LedgerVerifier(trustedKeys: [signer.publicKey]).verify(lines)
        let verifySeconds = Double(DispatchTime.now().uptimeNanoseconds - verifyStart) / 1e9
        guard result.problem == nil, result.verified == entries else {
            throw BenchmarkFailure("ledger verification failed: \(String(describing: result.problem))")
        }
        let bytes = try store.diskBytes()
        durations.sort()
        let perYear = 35_040 + 8_760 + 730 + 365 + 12
        let perEntry = Double(bytes) / Double(entries)
        return LedgerBenchmarkResult(
            entries: entries, recordBytes: record.utf8.count,
            appendMeanMicroseconds: durations.reduce(0, +) / Double(entries),
            appendP99Microseconds: percentile(durations, 99),
            engineSealMeanMicroseconds: seal.reduce(0, +) / Double(seal.count), engineSealP99Microseconds: percentile(seal, 99),
            ledgerThreadMeanMicroseconds: stored.reduce(0, +) / Double(stored.count),
            verifyEntriesPerSecond: Double(entries) / verifySeconds,
            databaseBytesPerEntry: perEntry, recordsPerLineYear: perYear,
            megabytesPerLineYear: perEntry * Double(perYear) / 1_048_576)
    }

    /// The same records through `LedgerWriter`, as the daemon's engine thread seals them, one at a time
    /// (a daemon closes a few records per 15 minutes, so the ledger thread is idle when the next comes):
    /// the time each `seal` takes on the calling thread, and the ledger thread's time to store it, both sorted.
    static func engineSide(entries: Int) throws -> (seal: [Double], store: [Double]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plantgate-ledger-bench-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = try LedgerWriter(directory: directory, site: "kz-lioh", logger: Logger(label: "ledger-bench"))
        defer { writer.close() }
        writer.flush()
        var seal: [Double] = [], store: [Double] = []
        for seq in 1...entries {
            let text = record.replacingOccurrences(of: "\"seq\":1,", with: "\"seq\":\(seq),")
            let start = DispatchTime.now().uptimeNanoseconds
            _ = writer.seal(json: text)
            let handed = DispatchTime.now().uptimeNanoseconds
            writer.flush()
            seal.append(Double(handed - start) / 1_000)
            store.append(Double(DispatchTime.now().uptimeNanoseconds - handed) / 1_000)
        }
        return (seal.sorted(), store.sorted())
    }

    static func percentile(_ sorted: [Double], _ p: Int) -> Double { sorted[min(sorted.count - 1, sorted.count * p / 100)] }
}

/// One point of the scale curve: the shipped daemon polling `registers` registers (int64 tags) at 1 s, values steady
/// (published on change, so after start nothing is sent): the cost of polling, decoding and the engine
/// as the plant grows, without the broker's share.
struct ScalePoint: Codable, Sendable {
    var registers: Int
    var tags: Int
    var cpuPercent: Double
    /// CPU seconds per million tag samples (one decoded value each).
    var cpuSecondsPerMillionSamples: Double
    /// CPU seconds per million registers read.
    var cpuSecondsPerMillionRegisters: Double
    var rssMegabytes: Double
    var anonymousRSSMegabytes: Double
    var peakRSSMegabytes: Double
    /// RSS over registers: an upper bound that includes the fixed cost of code and libraries.
    var rssBytesPerRegister: Double
}

/// The scale curve: figures for 1,000, 15,000 and 50,000 registers, and the slope between the ends.
struct ScaleCurve: Codable, Sendable {
    var points: [ScalePoint]
    /// (RSS at the largest plant − RSS at the smallest) / (register difference): what one more register costs.
    var marginalRSSBytesPerRegister: Double?
    var marginalAnonymousBytesPerRegister: Double?

    static let registerCounts = [1_000, 15_000, 50_000]

    static func run(warmup: Double, seconds: Double, log: (String) -> Void) throws -> ScaleCurve {
        var points: [ScalePoint] = []
        for registers in registerCounts {
            log("scale: \(registers) registers at 1 s for \(seconds) s")
            let result = try DaemonBenchmark.run(
                name: "scale-\(registers)", registers: registers, buses: 4, devicesPerBus: 10, intervalMilliseconds: 1_000,
                // int64 tags (4 registers each): with the float32/int64 mix, 50,000 registers written
                // out pass the config's 100,000-value limit.
                tagType: "int64", publish: "on_change", warmup: warmup, seconds: seconds, changing: false)
            let cpuSecondsPerSecond = result.daemonCPUPercent / 100
            let tagSamplesPerSecond = Double(result.tags) * 1_000 / result.intervalMilliseconds
            let registersPerSecond = Double(result.registers) * 1_000 / result.intervalMilliseconds
            points.append(ScalePoint(
                registers: result.registers, tags: result.tags, cpuPercent: result.daemonCPUPercent,
                cpuSecondsPerMillionSamples: cpuSecondsPerSecond / tagSamplesPerSecond * 1e6,
                cpuSecondsPerMillionRegisters: cpuSecondsPerSecond / registersPerSecond * 1e6,
                rssMegabytes: result.rssMegabytes, anonymousRSSMegabytes: result.anonymousRSSMegabytes,
                peakRSSMegabytes: result.peakRSSMegabytes,
                rssBytesPerRegister: result.rssMegabytes * 1_048_576 / Double(result.registers)))
        }
        var curve = ScaleCurve(points: points)
        if let first = points.first, let last = points.last, last.registers > first.registers {
            let span = Double(last.registers - first.registers)
            curve.marginalRSSBytesPerRegister = (last.rssMegabytes - first.rssMegabytes) * 1_048_576 / span
            curve.marginalAnonymousBytesPerRegister = (last.anonymousRSSMegabytes - first.anonymousRSSMegabytes) * 1_048_576 / span
        }
        return curve
    }
}

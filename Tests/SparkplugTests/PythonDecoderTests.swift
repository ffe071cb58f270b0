import Foundation
import PlantModel
import Testing
import TestSupport

@testable import Sparkplug

/// What the Python decoder printed for one payload.
struct ForeignPayload: Decodable {
    struct Property: Decodable {
        let type: UInt32
        let value: String?
    }

    struct Metric: Decodable {
        let name: String?
        let alias: UInt64?
        let datatype: String?
        let timestamp: UInt64
        let is_historical: Bool
        let is_null: Bool
        let value_kind: String?
        let value: String?
        let properties: [String: Property]
    }

    let seq: UInt64?
    let timestamp: UInt64
    let metrics: [Metric]

    func metric(_ name: String) -> Metric? { metrics.first { $0.name == name } }
}

@Suite struct PythonDecoderTests {
    static let protoDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/Sparkplug/Proto").path

    /// Generates the Python module from our .proto into `directory`, writes the payloads, and
    /// returns what Google's Python protobuf runtime decoded.
    static func decodeWithPython(_ messages: [SparkplugMessage], in directory: URL) async throws -> [ForeignPayload] {
        for tool in ["/usr/bin/protoc", "/usr/bin/python3"] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw TestSupportError("\(tool) is missing: run Deploy/install-deps.sh (protobuf-compiler, python3-protobuf)")
        }
        try await ProcessRunner.runChecked(
            "/usr/bin/protoc", ["--proto_path=\(protoDirectory)", "--python_out=\(directory.path)", "sparkplug_b.proto"])
        let script = directory.appendingPathComponent("decode.py")
        try pythonDecoderScript.write(to: script, atomically: true, encoding: .utf8)
        var files: [String] = []
        for (index, message) in messages.enumerated() {
            let file = directory.appendingPathComponent("\(index)-\(message.type.rawValue).bin")
            try Data(message.payload).write(to: file)
            files.append(file.path)
        }
        let result = try await ProcessRunner.runChecked("/usr/bin/python3", [script.path, directory.path] + files, timeout: .seconds(30))
        return try JSONDecoder().decode([ForeignPayload].self, from: Data(result.standardOutput.utf8))
    }

    @Test func googlesPythonDecoderReadsNbirthDbirthDdataAndNdeath() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sparkplug-python-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let t = PlantFixture.start
        var node = try PlantFixture.node(storedBirthDeathSequence: 11)
        _ = try node.nodeData([PlantFixture.update("gateway/version", .string("0.4.0"))], at: t)
        _ = try node.deviceData("meter-3", [PlantFixture.update("active_power", .double(412.7), at: t - 250)], at: t)
        let will = node.prepareConnection(at: t)
        let births = node.connected(at: t + 10)
        let ddata = try node.deviceData("meter-3", [
            PlantFixture.update("active_power", .double(398.25), .uncertain, at: t + 1000),
            PlantFixture.update("energy_import", .uint64(1_843_200), at: t + 1000),
        ], at: t + 1010)
        let history = try node.historicalDeviceData("lioh-1", [PlantFixture.update("net_water_balance", .int64(-35), at: t - 3_600_000)], at: t + 1020)
        let messages = [births[0], births[1]] + ddata + history + [will]
        try #require(messages.count == 5)

        let decodedByPython = try await Self.decodeWithPython(messages, in: directory)
        try #require(decodedByPython.count == 5)
        let (nbirth, dbirth, data, historical, ndeath) = (decodedByPython[0], decodedByPython[1], decodedByPython[2], decodedByPython[3], decodedByPython[4])

        #expect(nbirth.seq == 0 && nbirth.timestamp == t + 10)
        #expect(nbirth.metric("bdSeq")?.datatype == "Int64" && nbirth.metric("bdSeq")?.value == "12")
        #expect(nbirth.metric("Node Control/Rebirth")?.datatype == "Boolean" && nbirth.metric("Node Control/Rebirth")?.value == "false")
        #expect(nbirth.metric("gateway/version")?.datatype == "String" && nbirth.metric("gateway/version")?.value == "0.4.0")
        #expect(nbirth.metric("gateway/spool_depth")?.datatype == "UInt64" && nbirth.metric("gateway/spool_depth")?.is_null == true)

        #expect(dbirth.seq == 1)
        #expect(dbirth.metrics.map { $0.name ?? "" } == ["active_power", "energy_import", "breaker_closed"])
        #expect(dbirth.metrics.map { $0.datatype ?? "" } == ["Double", "UInt64", "Boolean"])
        let power = try #require(dbirth.metric("active_power"))
        #expect(power.value_kind == "double_value" && power.value == "412.7" && power.timestamp == t - 250)
        #expect(power.properties["engUnit"]?.value == "kW" && power.properties["engUnit"]?.type == 12)
        #expect(power.properties["Quality"]?.value == "192" && power.properties["Quality"]?.type == 3)
        #expect(dbirth.metric("energy_import")?.properties["engUnit"]?.value == "kWh")

        #expect(data.seq == 3)
        #expect(data.metrics.allSatisfy { $0.name == nil && $0.datatype == nil })
        #expect(data.metrics.map(\.alias) == [power.alias, dbirth.metric("energy_import")?.alias])
        #expect(data.metrics.map(\.value) == ["398.25", "1843200"])
        #expect(data.metrics[0].properties["Quality"]?.value == "500")
        #expect(data.metrics.allSatisfy { !$0.is_historical })

        #expect(historical.seq == 4)
        #expect(historical.metrics.count == 1 && historical.metrics[0].is_historical)
        #expect(historical.metrics[0].value.flatMap(UInt64.init).map { Int64(bitPattern: $0) } == -35)

        #expect(ndeath.seq == nil)
        #expect(ndeath.metrics.count == 1 && ndeath.metric("bdSeq")?.value == nbirth.metric("bdSeq")?.value)
    }
}

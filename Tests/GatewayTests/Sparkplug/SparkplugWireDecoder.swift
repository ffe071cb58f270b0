import Foundation
import TestSupport

/// What Google's Python protobuf runtime read from one captured Sparkplug payload.
struct DecodedPayload: Decodable {
    struct Metric: Decodable {
        let name: String?
        let alias: UInt64?
        /// The metric's own timestamp (ms since the epoch), when set.
        let timestamp: UInt64?
        let datatype: String?
        let is_historical: Bool
        let is_null: Bool
        let value: String?
        let properties: [String: String?]
    }

    let seq: UInt64?
    let timestamp: UInt64
    let metrics: [Metric]

    func metric(_ name: String) -> Metric? { metrics.first { $0.name == name } }
    func metric(alias: UInt64) -> Metric? { metrics.first { $0.alias == alias } }
}

/// Decodes payloads (and encodes an NCMD/DCMD) with a decoder this project did not write: protoc's
/// Python output for our .proto and Google's protobuf runtime (the approach of Tests/SparkplugTests).
struct SparkplugWireDecoder {
    let directory: URL

    static let protoDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/Sparkplug/Proto").path

    static func make(in directory: URL) async throws -> SparkplugWireDecoder {
        for tool in ["/usr/bin/protoc", "/usr/bin/python3"] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw TestSupportError("\(tool) is missing: run Deploy/install-deps.sh (protobuf-compiler, python3-protobuf)")
        }
        try await ProcessRunner.runChecked(
            "/usr/bin/protoc", ["--proto_path=\(protoDirectory)", "--python_out=\(directory.path)", "sparkplug_b.proto"])
        try script.write(to: directory.appendingPathComponent("spb.py"), atomically: true, encoding: .utf8)
        return SparkplugWireDecoder(directory: directory)
    }

    func decode(_ payloads: [[UInt8]]) async throws -> [DecodedPayload] {
        guard !payloads.isEmpty else { return [] }
        var files: [String] = []
        for payload in payloads {
            let file = directory.appendingPathComponent("payload-\(UUID().uuidString.prefix(8)).bin")
            try Data(payload).write(to: file)
            files.append(file.path)
        }
        let result = try await ProcessRunner.runChecked(
            "/usr/bin/python3", [directory.appendingPathComponent("spb.py").path, directory.path, "decode"] + files, timeout: .seconds(30))
        return try JSONDecoder().decode([DecodedPayload].self, from: Data(result.standardOutput.utf8))
    }

    func decode(_ payload: [UInt8]) async throws -> DecodedPayload {
        guard let first = try await decode([payload]).first else { throw TestSupportError("the decoder returned nothing") }
        return first
    }

    /// A command payload writing one Boolean metric, by name.
    func command(metric: String, value: Bool) async throws -> [UInt8] {
        let file = directory.appendingPathComponent("command-\(UUID().uuidString.prefix(8)).bin")
        try await ProcessRunner.runChecked(
            "/usr/bin/python3", [directory.appendingPathComponent("spb.py").path, directory.path, "command", file.path, metric, value ? "1" : "0"])
        return Array(try Data(contentsOf: file))
    }

    static let script = #"""
    import json, sys, time
    sys.path.insert(0, sys.argv[1])
    import sparkplug_b_pb2 as spb

    def text(holder):
        kind = holder.WhichOneof("value")
        if kind is None:
            return None
        value = getattr(holder, kind)
        if isinstance(value, bool):
            return "true" if value else "false"
        return repr(value) if isinstance(value, float) else str(value)

    if sys.argv[2] == "command":
        payload = spb.Payload()
        payload.timestamp = int(time.time() * 1000)
        metric = payload.metrics.add()
        metric.name = sys.argv[4]
        metric.datatype = spb.DataType.Value("Boolean")
        metric.boolean_value = sys.argv[5] == "1"
        with open(sys.argv[3], "wb") as handle:
            handle.write(payload.SerializeToString())
        sys.exit(0)

    out = []
    for path in sys.argv[3:]:
        payload = spb.Payload()
        with open(path, "rb") as handle:
            payload.ParseFromString(handle.read())
        metrics = []
        for metric in payload.metrics:
            metrics.append({
                "name": metric.name if metric.HasField("name") else None,
                "alias": metric.alias if metric.HasField("alias") else None,
                "timestamp": metric.timestamp if metric.HasField("timestamp") else None,
                "datatype": spb.DataType.Name(metric.datatype) if metric.HasField("datatype") else None,
                "is_historical": metric.is_historical,
                "is_null": metric.is_null,
                "value": text(metric),
                "properties": {k: text(v) for k, v in zip(metric.properties.keys, metric.properties.values)},
            })
        out.append({"seq": payload.seq if payload.HasField("seq") else None, "timestamp": payload.timestamp, "metrics": metrics})
    print(json.dumps(out))
    """#
}

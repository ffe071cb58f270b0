import ESG
import PlantModel

/// Builds every payload of the MQTT contract (docs/mqtt.md). The one place payload shapes live.
public enum Payloads {
    /// A raw tag value: `{"v":412.7,"u":"kW","q":"good","t":"…"}`, plus `reason` when not good and
    /// provenance (`src`) on request.
    public static func value(_ sample: Sample, unit: String, provenance: Provenance? = nil, into writer: inout JSONWriter) {
        writer.reset()
        writer.beginObject()
        writer.key("v"); writer.number(sample.value.isFinite ? sample.value : nil)
        writer.key("u"); writer.string(unit)
        writer.key("q"); writer.string(sample.quality.name)
        writer.key("t"); writer.timestamp(wallNanos: sample.time.wallNanos)
        if sample.quality != .good, sample.reason != .none {
            writer.key("reason"); writer.string(sample.reason.code)
        }
        if let provenance {
            writer.key("src"); writer.fragment(provenance.json)
        }
        writer.endObject()
    }

    /// A live metric: value, unit, quality, time, for windows `w`, `cov` and `est`, and `reasons` when any.
    public static func metric(_ update: MetricUpdate, into writer: inout JSONWriter) {
        writer.reset()
        writer.beginObject()
        writer.key("v"); writer.number(update.value.value)
        writer.key("u"); writer.string(update.unit)
        writer.key("q"); writer.string(update.value.quality.name)
        writer.key("t"); writer.timestamp(wallNanos: update.wallNanos)
        if update.window != .instant {
            writer.key("w"); writer.string(update.window.rawValue)
            writer.key("cov"); writer.number((update.value.coverage * 1000).rounded() / 1000)
            writer.key("est"); writer.number((update.value.estimatedShare * 1000).rounded() / 1000)
        }
        reasons(update.value.reasons, into: &writer)
        writer.endObject()
    }

    /// Retained status: `{"state":"online","version":"0.1.0","started":"…"}`.
    public static func status(online: Bool, version: String, startedWallNanos: Int64) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("state"); writer.string(online ? "online" : "offline")
        writer.key("version"); writer.string(version)
        writer.key("started"); writer.timestamp(wallNanos: startedWallNanos)
        writer.endObject()
        return writer.bytes
    }

    /// Retained ledger key: `{"alg":"Ed25519","key_id":"ed25519:…","public_key":"<base64>"}`.
    public static func ledgerKey(id: String, base64: String) -> [UInt8] {
        var writer = JSONWriter(capacity: 128)
        writer.beginObject()
        writer.key("alg"); writer.string("Ed25519")
        writer.key("key_id"); writer.string(id)
        writer.key("public_key"); writer.string(base64)
        writer.endObject()
        return writer.payload
    }

    /// Retained device health: up or down, and the last error with its time, counted since start (`errors`)
    /// and over the last minute (`errors_last_minute`), so a problem now stands out from one an hour ago.
    public static func health(_ device: DeviceStatistics, bus: BusStatistics, nowWallNanos: Int64, nowMonoNanos: Int64) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("connected"); writer.bool(bus.connected && device.up)
        writer.key("up"); writer.bool(device.up)
        writer.key("bus"); writer.string(bus.id)
        writer.key("t"); writer.timestamp(wallNanos: nowWallNanos)
        writer.key("last_poll")
        if let last = device.lastGoodPollWallNanos { writer.timestamp(wallNanos: last) } else { writer.number(nil) }
        writer.key("requests"); writer.integer(Int64(device.requests))
        writer.key("errors")
        writer.beginObject()
        for (name, count) in device.errors.byName.sorted(by: { $0.key < $1.key }) {
            writer.key(name); writer.integer(Int64(count))
        }
        writer.endObject()
        writer.key("errors_last_minute")
        writer.beginObject()
        for (name, count) in device.recentErrors.byName(nowMonoNanos: nowMonoNanos).sorted(by: { $0.key < $1.key }) {
            writer.key(name); writer.integer(Int64(count))
        }
        writer.endObject()
        writer.key("latency_p50_ms"); writer.number(device.latency.quantile(0.5).map { (Double($0) / 1e4).rounded() / 100 })
        writer.key("latency_p99_ms"); writer.number(device.latency.quantile(0.99).map { (Double($0) / 1e4).rounded() / 100 })
        writer.key("overruns"); writer.integer(Int64(device.overruns))
        writer.key("last_error")
        if let error = device.lastError { writer.string(error) } else { writer.number(nil) }
        writer.key("last_error_at")
        if let at = device.lastErrorWallNanos { writer.timestamp(wallNanos: at) } else { writer.number(nil) }
        writer.endObject()
        return writer.bytes
    }
}

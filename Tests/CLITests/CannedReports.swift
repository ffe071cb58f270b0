import Foundation

/// Daemon answers written by hand in the wire format of control protocol v2 (snake_case keys, the
/// health topic's names), so the CLI is tested against the protocol, not against its own encoder.
enum CannedReports {
    static func device(_ id: String, unit: Int, up: Bool, errors: [String: Int] = [:], errorsLastMinute: [String: Int] = [:],
                       lastError: String? = nil) -> [String: Any] {
        var device: [String: Any] = [
            "id": id, "bus": "mcc", "unit": unit, "up": up, "requests": 1200, "errors": errors, "errors_last_minute": errorsLastMinute,
            "latency_p50_ms": 3.2, "latency_p99_ms": 11.0, "overruns": 0,
        ]
        if up { device["last_poll"] = "2025-03-01T10:00:00.250Z" }
        if let lastError {
            device["last_error"] = lastError
            device["last_error_at"] = "2025-03-01T09:59:58Z"
        }
        return device
    }

    static func status(devices: [[String: Any]]) -> String {
        let report: [String: Any] = [
            "protocol_version": 2, "version": "0.1.0", "pid": 4242, "started_at": "2025-03-01T07:00:00Z",
            "uptime_seconds": 11_520, "config_path": "/etc/plantgate/plantgate.yaml", "config_age_seconds": 172_800,
            "config_revision": "00000000003f2a9c", "site": "kz-lioh",
            "broker": ["endpoint": "tcp://127.0.0.1:1883", "connected": true, "spool_depth": 17, "memory_depth": 230, "dropped": 2, "published": 98_765],
            "buses": [["id": "mcc", "endpoint": "tcp 127.0.0.1:1502", "connected": true, "reconnects": 3, "utilisation": 0.42]],
            "devices": devices,
            "lines": [["id": "lioh-1", "metrics": [
                ["id": "power_kw", "value": 8812.5, "unit": "kW", "quality": "good", "time": "2025-03-01T10:00:00Z"],
                ["id": "power_kw/15m", "value": 8790.25, "unit": "kW", "quality": "good", "window": "15m", "time": "2025-03-01T10:00:00Z"],
                ["id": "power_kw/1m", "value": 8801, "unit": "kW", "quality": "uncertain", "window": "1m", "time": "2025-03-01T10:00:00Z"],
                ["id": "sec_electric_kwh_per_t/15m", "value": 3512.5, "unit": "kWh/t", "quality": "good", "window": "15m", "time": "2025-03-01T10:00:00Z"],
                ["id": "water_intensity_m3_per_t/1m", "unit": "m3/t", "quality": "bad", "window": "1m", "time": "2025-03-01T10:00:00Z"],
            ]]],
        ]
        return line(report)
    }

    static let allUp = status(devices: [device("pm-main", unit: 1, up: true), device("pm-aux", unit: 3, up: true)])

    static let oneDown = status(devices: [
        device("pm-main", unit: 1, up: true),
        device("pm-aux", unit: 3, up: false, errors: ["timeout": 14, "exception_02": 1], errorsLastMinute: ["timeout": 2],
               lastError: "no reply in time: check the unit id, RS-485 wiring (A/B swapped?), baud rate and parity"),
    ])

    static let values: String = line([
        "values": [
            ["path": "pm-main/power_total", "value": 8812.5, "unit": "kW", "quality": "good", "reason": "OK", "age_seconds": 0.4, "time": "2025-03-01T10:00:00Z"],
            ["path": "pm-main/frequency", "value": 50.01, "unit": "Hz", "quality": "uncertain", "reason": "STALE", "age_seconds": 4.0],
            ["path": "pm-main/energy_import", "unit": "Wh", "quality": "bad", "reason": "TIMEOUT"],
        ],
        "metrics": [["id": "lioh-1", "metrics": [
            ["id": "power_kw", "value": 8812.5, "unit": "kW", "quality": "good", "time": "2025-03-01T10:00:00Z"],
        ]]],
    ])

    /// The daemon's answer to each request: the status report to `status`, `values` to `values`.
    static func daemon(status: String = allUp, values: String = values) -> @Sendable (String) -> String {
        { request in request.contains(#""command":"status""#) ? status : values }
    }

    private static func line(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

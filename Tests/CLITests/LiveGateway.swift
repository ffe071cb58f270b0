/// A real plantgated for CLI tests, run by `GatewayHarness.startDaemon(config:)`: one meter `pm`
/// (float32 power at holding:100) on bus `mcc`, one line.
enum LiveGateway {
    /// The gateway's config (without `state_dir` and `control_socket`); `mqtt` is the inline mqtt map's
    /// extra keys (e.g. `keepalive: 5s`).
    static func config(site: String, brokerPort: Int, meterPort: Int, mqtt: String = "prefix: plantgate") -> String {
        """
        site: {id: \(site), time_zone: UTC}
        mqtt: {host: 127.0.0.1, port: \(brokerPort), \(mqtt)}
        buses:
          - {id: mcc, tcp: {host: 127.0.0.1, port: \(meterPort)}, response_timeout: 300ms}
        devices:
          - id: pm
            bus: mcc
            unit: 1
            interval: 200ms
            tags:
              power: {register: "holding:100", type: float32, order: ABCD, unit: kW}
        lines:
          - id: l1
            product: {name: Cu cathode}
            inputs:
              - {tag: pm/power, role: active_power}
        factors:
          grid: {id: g, kgco2e_per_kwh: 0.5, source: test}
        """
    }
}

@testable import Gateway
import MQTT
import ModbusProtocol
import Testing

/// The Modbus and MQTT modules speak of "the response timeout" or "the CA file"; the daemon names the
/// plantgate.yaml key that sets it.
@Suite("The daemon names its config keys in link errors")
struct ConfigKeyHintTests {
    @Test func aModbusTimeoutNamesResponseTimeout() {
        let error = ModbusError(kind: .timeout, endpoint: .tcp(host: "mcc-gw-3", port: 502), operation: "read holding 0+1")
        #expect(error.configSummary.hasPrefix(error.summary))
        #expect(error.configSummary.contains("response_timeout"), "\(error.configSummary)")
        let refused = ModbusError(kind: .connectionRefused, endpoint: .tcp(host: "mcc-gw-3", port: 502), operation: "connect")
        #expect(refused.configSummary == refused.summary)
    }

    @Test func mqttErrorsNameTheirKeys() {
        let tls = MQTTError(code: .tls, operation: "connect to mqtts://central:8883", rawCode: 8,
                            message: "TLS failed; check that the CA file signed the broker's certificate")
        #expect(tls.namingConfigKeys.message.contains("mqtt.tls.ca_file"), "\(tls.namingConfigKeys)")
        #expect(tls.namingConfigKeys.message.hasPrefix(tls.message))
        let refused = MQTTError(code: .badCredentials, operation: "connect", rawCode: 4, message: "bad username or password")
        #expect(refused.namingConfigKeys.message.contains("mqtt.password_file"))
        let takenOver = MQTTError(code: .sessionTakenOver, operation: "connection", rawCode: 0x8E, message: "give each its own client id")
        #expect(takenOver.namingConfigKeys.message.contains("mqtt.client_id"))
        let lost = MQTTError(code: .connectionLost, operation: "connection", rawCode: 7, message: "the connection was lost")
        #expect(lost.namingConfigKeys == lost)
    }
}

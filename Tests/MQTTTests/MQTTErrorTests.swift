@testable import MQTT
import Testing

@Suite("Error classification")
struct MQTTErrorTests {
    static let options = MQTTClientOptions(
        host: "10.0.0.5", clientID: "plantgate-box-7", credentials: MQTTCredentials(username: "gw", password: "hunter2"))

    @Test("CONNACK codes map to the class a technician acts on", arguments: [
        (MQTTProtocolVersion.v3_1_1, Int32(1), MQTTError.Code.unsupportedProtocolVersion),
        (.v3_1_1, 2, .identifierRejected),
        (.v3_1_1, 3, .serverUnavailable),
        (.v3_1_1, 4, .badCredentials),
        (.v3_1_1, 5, .notAuthorized),
        (.v5, 132, .unsupportedProtocolVersion),
        (.v5, 133, .identifierRejected),
        (.v5, 134, .badCredentials),
        (.v5, 135, .notAuthorized),
        (.v5, 136, .serverUnavailable),
        (.v5, 149, .refused),
    ])
    func connack(version: MQTTProtocolVersion, code: Int32, expected: MQTTError.Code) {
        let error = MQTTError.connack(code, protocolVersion: version, options: Self.options)
        #expect(error.code == expected)
        #expect(error.rawCode == code)
        #expect(error.operation.contains("mqtt://10.0.0.5:1883"))
        #expect(!error.description.contains("hunter2"))
    }

    @Test("errno failures carry the system's explanation")
    func errnoMessage() {
        let error = MQTTError.mosquitto(14, errno: 111, operation: "connect to mqtt://10.0.0.5:1883")
        #expect(error.code == .system)
        #expect(error.rawCode == 111)
        #expect(error.message.contains("Connection refused"))
    }

    @Test("credentials never print the password")
    func redactedCredentials() {
        let credentials = MQTTCredentials(username: "gw", password: "hunter2")
        #expect(!"\(credentials)".contains("hunter2"))
        #expect(!String(reflecting: credentials).contains("hunter2"))
    }
}

@Suite("Error classification of session failures")
struct MQTTSessionErrorTests {
    @Test("an OpenSSL failure reported as errno EPROTO is classed as TLS")
    func eprotoIsTLS() {
        let error = MQTTError.mosquitto(14, errno: 71, operation: "connection to mqtts://10.0.0.5:8883")
        #expect(error.code == .tls)
        #expect(error.message.contains("the CA file"))
        #expect(!error.message.contains("ca_file"))
    }
}

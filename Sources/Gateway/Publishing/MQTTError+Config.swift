import MQTT

extension MQTTError {
    /// The error with the plantgate.yaml keys that fix it. The MQTT module speaks of the CA file or the
    /// client id, as any program using it would; the daemon knows them as `mqtt.tls.ca_file` and
    /// `mqtt.client_id`.
    var namingConfigKeys: MQTTError {
        let keys: String? = switch code {
        case .tls: "mqtt.tls.ca_file, cert_file and key_file"
        case .hostLookup: "mqtt.host (or mqtt.hosts)"
        case .badCredentials, .notAuthorized: "mqtt.username and mqtt.password_file"
        case .sessionTakenOver, .identifierRejected: "mqtt.client_id"
        case .invalidArgument: "the mqtt section"
        default: nil
        }
        guard let keys else { return self }
        return MQTTError(code: code, operation: operation, rawCode: rawCode, message: message + " (plantgate.yaml: \(keys))")
    }
}

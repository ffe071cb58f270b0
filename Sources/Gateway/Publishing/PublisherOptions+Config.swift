import Foundation
import MQTT
import Outbox
import PlantModel

/// The `mqtt:` section could not be turned into a broker connection.
public struct PublisherSetupError: Error, Sendable, CustomStringConvertible {
    /// What is wrong and how to fix it.
    public let message: String
    public var description: String { message }
}

extension PublisherOptions {
    /// Builds the options from the config's `mqtt:` section; reads the password from `password_file`.
    /// - Parameters:
    ///   - siteID: the site id, used for the status topic and the default client id.
    ///   - limits: the outbox bounds; nil: `mqtt.outbox` over the defaults.
    /// - Throws: `PublisherSetupError` naming `mqtt.password_file` when it cannot be read or is empty.
    public static func from(
        _ config: MQTTConfig, siteID: String, version: String, limits: OutboxLimits? = nil, started: Date = Date()
    ) throws(PublisherSetupError) -> PublisherOptions {
        var credentials: MQTTCredentials?
        if let username = config.username {
            var password: String?
            if let file = config.passwordFile {
                guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                    throw PublisherSetupError(
                        message: "mqtt.password_file: cannot read '\(file)'; check that it exists and that plantgate may read it")
                }
                password = text.trimmingCharacters(in: .newlines)
                guard password?.isEmpty == false else {
                    throw PublisherSetupError(message: "mqtt.password_file: '\(file)' is empty; write the broker password in it")
                }
            }
            credentials = MQTTCredentials(username: username, password: password)
        }
        let tls = config.tls.map { tls in
            MQTTTLSOptions(
                caFile: tls.caFile ?? "/etc/ssl/certs/ca-certificates.crt", certificateFile: tls.certFile, keyFile: tls.keyFile,
                allowInsecure: tls.insecure)
        }
        let keepalive = max(1, Int(config.keepalive.components.seconds))
        var client = MQTTClientOptions(
            host: config.host, port: config.port, clientID: config.clientID ?? "plantgate-\(siteID)",
            keepaliveSeconds: keepalive, cleanSession: true,
            protocolVersion: config.protocolVersion == .v5 ? .v5 : .v3_1_1,
            credentials: credentials, tls: tls,
            reconnect: MQTTReconnectBackoff(initialDelay: config.reconnect.min, maximumDelay: config.reconnect.max))
        client.fallbackBrokers = config.brokers.dropFirst().map { MQTTBrokerAddress(host: $0.host, port: $0.port) }
        client.preferFirst = config.preferFirst
        return PublisherOptions(
            client: client, statusTopic: MQTTTopics(prefix: config.prefix, site: siteID).status, version: version, started: started, limits: limits ?? OutboxLimits(config.outbox))
    }
}

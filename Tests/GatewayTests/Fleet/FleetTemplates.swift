import Foundation
import TestSupport

/// The broker configurations shipped in `Deploy/fleet/`, instantiated for a loopback test.
///
/// Lines that `MosquittoBroker` writes itself (listeners, the server certificate, anonymous access)
/// are left out; every other line (bridge, queueing, persistence, ACL) is the shipped text.
enum FleetTemplates {
    static let ownedByTestBroker: Set<String> = [
        "listener", "cafile", "certfile", "keyfile", "require_certificate", "use_identity_as_username",
        "per_listener_settings", "allow_anonymous", "persistence_location",
    ]

    /// `Deploy/fleet/<relative>` of this package.
    static func path(_ relative: String, file: String = #filePath) -> String {
        var url = URL(fileURLWithPath: file)
        while url.path != "/", !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url.appendingPathComponent("Deploy/fleet/\(relative)").path
    }

    /// The settings of a shipped file with `@NAME@` placeholders replaced; fails on any left over.
    static func settings(_ relative: String, _ values: [String: String]) throws -> [String] {
        var text = try String(contentsOfFile: path(relative), encoding: .utf8)
        for (name, value) in values { text = text.replacingOccurrences(of: "@\(name)@", with: value) }
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        if let unfilled = lines.first(where: { $0.contains("@") }) {
            throw TestSupportError("\(relative): placeholder left in \"\(unfilled)\"")
        }
        return lines.filter { line in !ownedByTestBroker.contains(String(line.prefix { $0 != " " })) }
    }

    /// The central broker: TLS with client certificates, the shipped settings and ACL, plus a password
    /// user `control-room` on the plain listener for the test's historian.
    static func central(pki: TestCertificates) async throws -> MosquittoBroker {
        let settings = try Self.settings("central/plantgate-central.conf.in", [
            "PORT": "0", "CA_FILE": pki.caFile, "CERT_FILE": pki.serverCertificateFile,
            "KEY_FILE": pki.serverKeyFile, "ACL_FILE": path("central/plantgate-central.acl"),
        ])
        return try await MosquittoBroker.start(.init(
            allowAnonymous: false, users: [FleetPKI.controlRoom: FleetPKI.controlRoomPassword], tls: pki,
            requireClientCertificate: true, persistence: true, extraSettings: settings))
    }

    /// A site broker bridged to `central` with the site's own client certificate; with `standby`, the
    /// bridge's address list names it second (the bridge falls back to it and returns to `central`).
    static func site(_ site: String, central: MosquittoBroker, standby: MosquittoBroker? = nil, pki: TestCertificates) async throws -> MosquittoBroker {
        let addresses = try ([central] + (standby.map { [$0] } ?? [])).map { broker in
            guard let tlsPort = broker.tlsPort else { throw TestSupportError("a central broker has no TLS listener") }
            return "127.0.0.1:\(tlsPort)"
        }
        let client = try await FleetPKI.issue(commonName: site, in: pki)
        let settings = try Self.settings("site/plantgate-site.conf", [:]) + Self.settings("site/plantgate-bridge.conf.in", [
            "SITE": site, "PREFIX": "plantgate", "CENTRAL": addresses.joined(separator: " "),
            "CA_FILE": pki.caFile, "CERT_FILE": client.certificate, "KEY_FILE": client.key,
        ])
        return try await MosquittoBroker.start(.init(persistence: true, extraSettings: settings))
    }
}

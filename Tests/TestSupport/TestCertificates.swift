import Foundation

/// A throwaway PKI made with openssl at test time: a CA, a server certificate for 127.0.0.1 and
/// localhost, and a client certificate, all in one temporary directory (EC P-256 keys: fast).
public struct TestCertificates: Sendable {
    /// Directory holding every file.
    public let directory: String
    /// The CA certificate that signed both others (PEM).
    public let caFile: String
    /// Server certificate with subjectAltName IP:127.0.0.1 and DNS:localhost.
    public let serverCertificateFile: String
    /// Server private key (unencrypted PEM).
    public let serverKeyFile: String
    /// Client certificate, CN = `clientCommonName`.
    public let clientCertificateFile: String
    /// Client private key (unencrypted PEM).
    public let clientKeyFile: String
    /// The client certificate's common name (the MQTT username with `use_identity_as_username`).
    public let clientCommonName: String

    /// Generates the CA, server and client certificates, valid for one day.
    public static func generate(clientCommonName: String = "plantgate-test-client") async throws -> TestCertificates {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("plantgate-pki-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func path(_ name: String) -> String { directory + "/" + name }
        let openssl = "/usr/bin/openssl"
        let ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

        func issue(_ name: String, subject: String, extensions: String?) async throws {
            try await ProcessRunner.runChecked(
                openssl, ["req"] + ecKey + ["-keyout", path("\(name).key"), "-out", path("\(name).csr"), "-subj", subject])
            try await ProcessRunner.runChecked(
                openssl, ["x509", "-req", "-in", path("\(name).csr"), "-CA", path("ca.crt"), "-CAkey", path("ca.key"),
                    "-CAcreateserial", "-out", path("\(name).crt"), "-days", "1"]
                    + (extensions.map { ["-extfile", $0] } ?? []))
        }

        try await ProcessRunner.runChecked(
            openssl, ["req", "-x509"] + ecKey + ["-keyout", path("ca.key"), "-out", path("ca.crt"),
                "-days", "1", "-subj", "/CN=plantgate test CA"])

        try "subjectAltName=IP:127.0.0.1,DNS:localhost\n".write(toFile: path("server.ext"), atomically: true, encoding: .utf8)
        try await issue("server", subject: "/CN=localhost", extensions: path("server.ext"))
        try await issue("client", subject: "/CN=\(clientCommonName)", extensions: nil)

        return TestCertificates(
            directory: directory, caFile: path("ca.crt"),
            serverCertificateFile: path("server.crt"), serverKeyFile: path("server.key"),
            clientCertificateFile: path("client.crt"), clientKeyFile: path("client.key"),
            clientCommonName: clientCommonName)
    }

    /// Deletes the directory and every key in it.
    public func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

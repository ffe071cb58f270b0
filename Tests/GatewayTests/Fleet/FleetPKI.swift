import Foundation
import TestSupport

/// Client certificates of the fleet: one per site (CN = site id) and the control room's, signed by the
/// test CA of a `TestCertificates`.
enum FleetPKI {
    static let controlRoom = "control-room"
    static let controlRoomPassword = "historian-secret"

    /// Issues a client certificate with `commonName` from the CA in `pki.directory`.
    static func issue(commonName: String, in pki: TestCertificates) async throws -> (certificate: String, key: String) {
        let base = pki.directory + "/client-" + commonName
        try await ProcessRunner.runChecked("/usr/bin/openssl", [
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", base + ".key", "-out", base + ".csr", "-subj", "/CN=\(commonName)",
        ])
        try await ProcessRunner.runChecked("/usr/bin/openssl", [
            "x509", "-req", "-in", base + ".csr", "-CA", pki.caFile, "-CAkey", pki.directory + "/ca.key",
            "-CAcreateserial", "-out", base + ".crt", "-days", "1",
        ])
        return (base + ".crt", base + ".key")
    }
}

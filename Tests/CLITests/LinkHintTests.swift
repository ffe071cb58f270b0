import Foundation
import Modbus
import ModbusProtocol
import Testing
import TestSupport

/// `probe` and `scan` say the same thing about a link that cannot be opened, in the words the daemon
/// uses (one place builds them), and the hint fits the link.
@Suite("Link failure hints in probe and scan")
struct LinkHintTests {
    /// The text after `connect: ` of the CLI's error line.
    static func hint(_ result: ProcessResult) -> String? {
        guard let line = result.standardError.split(separator: "\n").first(where: { $0.contains("connect: ") }),
              let marker = line.range(of: "connect: ") else { return nil }
        return String(line[marker.upperBound...])
    }

    @Test func aMissingSerialAdapterIsDescribedAlikeByProbeAndScan() async throws {
        let device = try temporaryDirectory().appendingPathComponent("ttyUSB-unplugged").path
        let probe = try await PlantgateBinary.run(["probe", "--rtu", device, "--read", "holding:0"])
        let scan = try await PlantgateBinary.run(["scan", "--rtu", device, "--baud", "19200", "--parity", "E"])
        #expect(probe.exitCode == 69 && scan.exitCode == 69)
        let expected = ModbusError(kind: .noSuchDevice, endpoint: .rtu(SerialSettings(device: device)), operation: "connect",
                                   detail: String(cString: strerror(ENOENT))).summary
        #expect(Self.hint(probe) == expected, "\(probe.standardError)")
        #expect(Self.hint(scan) == expected, "\(scan.standardError)")
        #expect(expected.contains("/dev/serial/by-id/") && !expected.contains("port") && !expected.contains("gateway"))
    }

    @Test func anUnresolvableGatewayIsDescribedAlikeByProbeAndScan() async throws {
        let probe = try await PlantgateBinary.run(["probe", "--tcp", "mcc-gw-3.invalid", "--read", "holding:0"])
        let scan = try await PlantgateBinary.run(["scan", "--tcp", "mcc-gw-3.invalid"])
        #expect(probe.exitCode == 69 && scan.exitCode == 69)
        let probeHint = try #require(Self.hint(probe), "\(probe.standardError)")
        #expect(probeHint.hasPrefix("cannot resolve host mcc-gw-3.invalid: Name or service not known"))
        #expect(Self.hint(scan) == probeHint, "\(scan.standardError)")
        for word in ["baud", "parity", "wiring", "RS-485"] { #expect(!probeHint.contains(word)) }
    }
}

import Glibc
import Modbus
import ModbusProtocol
import Testing

/// Every failure's hint fits the link it happened on: a TCP hint never sends anyone to RS-485 wiring,
/// baud or parity, and a serial hint never to ports or gateways.
@Suite("Error hints by transport")
struct ErrorHintTests {
    static let kinds: [ModbusError.Kind] = [
        .connectionRefused, .hostNotFound, .unreachable, .permissionDenied, .noSuchDevice, .connectionLost, .timeout,
        .exception(.illegalDataAddress), .exception(.serverDeviceBusy), .unknownException,
        .garbled(.badCRC), .garbled(.wrongUnit), .invalidRequest, .system(errno: EIO),
    ]

    /// The Modbus module names no key of plantgate.yaml: the daemon adds that (`configSummary`).
    @Test(arguments: kinds)
    func hintsNameNoConfigKey(kind: ModbusError.Kind) {
        for endpoint in [ModbusEndpoint.tcp(host: "mcc-gw-3", port: 502), .rtu(SerialSettings(device: "/dev/ttyUSB0"))] {
            let summary = ModbusError(kind: kind, endpoint: endpoint, operation: "read", detail: "detail").summary
            #expect(!summary.contains("_timeout") && !summary.contains(".yaml"), "\(kind): \(summary)")
        }
    }

    @Test(arguments: kinds)
    func tcpHintsNeverMentionTheSerialLine(kind: ModbusError.Kind) {
        let error = ModbusError(kind: kind, endpoint: .tcp(host: "mcc-gw-3", port: 502), operation: "connect", detail: "detail")
        let text = error.summary.lowercased()
        for word in ["rs-485", "wiring", "baud", "parity", "termination", "/dev/"] {
            #expect(!text.contains(word), "\(kind): \(error.summary)")
        }
    }

    @Test(arguments: kinds)
    func serialHintsNeverMentionPortsOrGateways(kind: ModbusError.Kind) {
        let error = ModbusError(kind: kind, endpoint: .rtu(SerialSettings(device: "/dev/ttyUSB0")), operation: "open", detail: "detail")
        let text = error.summary.lowercased()
        for word in ["port", "gateway", "ip address", "dns", "firewall"] {
            #expect(!text.contains(word), "\(kind): \(error.summary)")
        }
    }

    @Test func aSerialDeviceThatCannotBeOpenedNamesTheDialoutGroupAndHowToCheck() {
        let kind = ModbusError.Kind(errno: EACCES)
        #expect(kind == .permissionDenied)
        let error = ModbusError(kind: kind, endpoint: .rtu(SerialSettings(device: "/dev/ttyUSB0")), operation: "connect", detail: "Permission denied")
        #expect(error.summary.contains("dialout"))
        #expect(error.summary.contains("ls -l /dev/ttyUSB0"))
        #expect(error.summary.contains("id plantgate"))
    }

    @Test func aMissingSerialNodeSuggestsTheStableAdapterNames() {
        let kind = ModbusError.Kind(errno: ENOENT)
        #expect(kind == .noSuchDevice)
        let error = ModbusError(kind: kind, endpoint: .rtu(SerialSettings(device: "/dev/ttyUSB3")), operation: "connect", detail: "No such file or directory")
        #expect(error.summary.contains("not plugged in"))
        #expect(error.summary.contains("/dev/serial/by-id/"))
    }

    @Test func unreachableAndRefusedAreToldApart() {
        #expect(ModbusError.Kind(errno: EHOSTUNREACH) == .unreachable)
        #expect(ModbusError.Kind(errno: ENETUNREACH) == .unreachable)
        #expect(ModbusError.Kind(errno: ECONNREFUSED) == .connectionRefused)
    }
}

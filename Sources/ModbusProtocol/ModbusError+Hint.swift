extension ModbusError {
    /// The failure and what to check, without the target. The one place these texts are built: the daemon's
    /// log and status, `plantgate probe` and `plantgate scan` all show this.
    ///
    /// A TCP hint never talks about RS-485 wiring, baud or parity, and a serial hint never about
    /// TCP ports or gateways: a technician follows the first check named, so it must fit the link.
    public var summary: String {
        switch transport {
        case .tcp: tcpSummary
        case .serial: serialSummary
        }
    }

    private var tcpSummary: String {
        switch kind {
        case .hostNotFound:
            "cannot resolve host \(place): \(detail); check the name's spelling, DNS or /etc/hosts, or write the IP address"
        case .connectionRefused:
            "connection refused (\(detail)): nothing accepts Modbus TCP at this address; check the IP address and port (502 is the Modbus default) and that the device or gateway is powered with its Modbus TCP server enabled"
        case .unreachable:
            "host unreachable (\(detail)): check the network cable or route to the device, its IP address and any firewall on the way"
        case .permissionDenied, .noSuchDevice:
            "cannot connect (\(detail)): check the IP address and port"
        case .connectionLost:
            "connection lost (\(detail)): the device or gateway closed the connection (restarted, or it allows fewer clients); plantgate reconnects by itself"
        case .timeout:
            "no reply in time: check the unit id (a gateway forwards by unit id), that the device is powered and reachable, or raise the response timeout"
        case .garbled(let how):
            "garbled reply (\(how.rawValue)): a reply out of step with its request; check for a second client or gateway answering for the same unit id"
        default:
            commonSummary
        }
    }

    private var serialSummary: String {
        switch kind {
        case .permissionDenied:
            "permission denied opening \(place) (\(detail)): the service user needs the dialout group; check with `ls -l \(place)` and `id plantgate`, add it with `usermod -aG dialout plantgate` and restart plantgated"
        case .noSuchDevice:
            "no such device \(place) (\(detail)): the RS-485 adapter is not plugged in or was enumerated under another name; list adapters with `ls -l /dev/serial/by-id/` and configure that stable path"
        case .connectionRefused, .hostNotFound, .unreachable:
            "cannot open \(place) (\(detail)): check the device path and that no other program holds it (`fuser \(place)`)"
        case .connectionLost:
            "serial line lost (\(detail)): the adapter was removed or failed; plantgate reopens it by itself"
        case .timeout:
            "no reply in time: check the unit id, RS-485 wiring (A/B swapped?), baud rate and parity, or raise the response timeout"
        case .garbled(let how):
            "garbled reply (\(how.rawValue)): check for noise or missing termination on the RS-485 line, two masters on one bus, or a second device with the same unit id"
        default:
            commonSummary
        }
    }

    /// Texts that fit either link: the device answered, or the request itself was wrong.
    private var commonSummary: String {
        switch kind {
        case .exception(let code):
            "device answered exception \(code.rawValue) (\(code.name)): \(code.hint)"
        case .unknownException:
            "device answered an undefined exception code (\(detail)): check the device's documentation"
        case .invalidRequest:
            "invalid request (\(detail))"
        case .system(let errno):
            "system error \(errno) (\(detail))"
        default:
            "\(counterName) (\(detail))"
        }
    }
}

extension ModbusEndpoint {
    /// TCP or serial.
    public var transport: ModbusTransport {
        if case .tcp = self { return .tcp }
        return .serial
    }

    /// The host name or the serial device path, as hints name it.
    public var place: String {
        switch self {
        case .tcp(let host, _): host
        case .rtu(let serial): serial.device
        }
    }
}

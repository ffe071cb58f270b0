import ArgumentParser
import Foundation
import MQTT
import PlantModel
import PlantgateConsole

/// `plantgate fleet`: every site on a (central) broker, from its retained topics. Reads only.
///
/// A program of its own, `plantgate-fleet` (run by `plantgate fleet`), because it is the one command that
/// speaks MQTT: `plantgate` itself links no MQTT library.
@main
struct FleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plantgate fleet",
        abstract: "Show every site on a broker: online or not, devices, spool, last period record, clock.",
        discussion: """
            Subscribes (read only) to the retained status, device health and gateway stats of every site under \
            --prefix, listens for --wait, prints one line per site and disconnects. Period records are not \
            retained: LAST PERIOD shows one only if it arrived during --wait; CLOCK (gateway minus this machine) \
            needs a live gateway/stats, sent every 10 s (use --wait 11s). Exit status: 0 every site online with \
            every device up, 1 a site offline, cut off or without status, or a device down, or no site found, \
            69 broker unreachable or refusing.
            """
    )

    @Option(help: ArgumentHelp("The broker, HOST:PORT (port 1883, or 8883 with --cafile, if omitted).", valueName: "host:port"))
    var broker: String

    @Option(help: "The gateways' mqtt.prefix.")
    var prefix = "plantgate"

    @Option(help: "How long to listen after subscribing.")
    var wait = DurationArgument(.seconds(2))

    @Flag(help: "Print the sites as one JSON line for scripts.")
    var json = false

    @Option(help: ArgumentHelp("CA certificate file: connect with TLS.", valueName: "path"), completion: .file())
    var cafile: String?

    @Option(help: ArgumentHelp("Client certificate (with --key) for brokers that require one.", valueName: "path"), completion: .file())
    var cert: String?

    @Option(help: ArgumentHelp("Private key of --cert.", valueName: "path"), completion: .file())
    var key: String?

    @Option(help: "MQTT username.")
    var username: String?

    @Option(name: .customLong("password-file"), help: ArgumentHelp("File whose first line is the password.", valueName: "path"), completion: .file())
    var passwordFile: String?

    static func main() async { await CommandRunner.main(Self.self) }

    func run() async throws {
        let options: MQTTClientOptions
        do { options = try clientOptions() } catch let failure as CLIFailure { throw Console.fail(failure) }
        let received: [FleetListener.Received]
        do {
            received = try await FleetListener.collect(options: options, filters: FleetView.filters(prefix: prefix), window: wait.duration)
        } catch let failure as CLIFailure {
            throw Console.fail(failure)
        }
        var view = FleetView(prefix: prefix)
        for item in received {
            view.ingest(topic: item.message.topic, payload: item.message.payload, retained: item.message.retain, receivedAt: item.at)
        }
        let sites = view.sorted
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            let data = try encoder.encode(FleetReport(broker: options.endpoint, prefix: prefix, sites: sites.map(FleetReport.Entry.init)))
            Console.out(String(decoding: data, as: UTF8.self))
        } else if !sites.isEmpty {
            Console.out(FleetRendering(sites: sites, terminal: Terminal.standardOutput).render())
        }
        if sites.isEmpty {
            Console.error("plantgate: no site under \(prefix)/ on \(options.endpoint): check --prefix, and that these credentials may read \(prefix)/#")
            throw PlantgateExit.code(PlantgateExit.finding)
        }
        let findings = sites.filter { !$0.findings.isEmpty }
        if !findings.isEmpty {
            if !json { for site in findings { Console.error("plantgate: \(site.site): \(site.findings.joined(separator: "; "))") } }
            throw PlantgateExit.code(PlantgateExit.finding)
        }
    }

    private func clientOptions() throws -> MQTTClientOptions {
        guard let address = TCPAddress(parsing: broker, defaultPort: cafile == nil ? 1883 : 8883) else {
            throw CLIFailure.usage("--broker \(broker): expected HOST:PORT, e.g. central.example:8883")
        }
        if (cert == nil) != (key == nil) { throw CLIFailure.usage("--cert and --key go together") }
        if cert != nil, cafile == nil { throw CLIFailure.usage("--cert needs --cafile (the client certificate is sent over TLS)") }
        var credentials: MQTTCredentials?
        if let username {
            var password: String?
            if let passwordFile {
                guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                    throw CLIFailure.usage("--password-file \(passwordFile): cannot read it")
                }
                password = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init)
            }
            credentials = MQTTCredentials(username: username, password: password)
        } else if passwordFile != nil {
            throw CLIFailure.usage("--password-file needs --username")
        }
        let tls = cafile.map { MQTTTLSOptions(caFile: $0, certificateFile: cert, keyFile: key) }
        return MQTTClientOptions(host: address.host, port: address.port, clientID: "plantgate-fleet-\(getpid())",
                                 keepaliveSeconds: 30, cleanSession: true, credentials: credentials, tls: tls)
    }
}

/// `plantgate fleet --json`: `{"broker":…,"prefix":…,"sites":[{"site":…,"online":…,"findings":[…],…}]}`.
struct FleetReport: Encodable, Sendable {
    /// One site: its fields, plus the verdict a script checks.
    struct Entry: Encodable, Sendable {
        var site: FleetSite

        private enum Verdict: String, CodingKey { case online, findings }

        func encode(to encoder: any Encoder) throws {
            try site.encode(to: encoder)
            var container = encoder.container(keyedBy: Verdict.self)
            try container.encode(site.isOnline, forKey: .online)
            try container.encode(site.findings, forKey: .findings)
        }
    }

    var broker: String
    var prefix: String
    var sites: [Entry]
}

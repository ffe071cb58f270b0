import ArgumentParser
import Foundation
import ModbusProtocol
import PlantgateConsole
import PlantModel

/// `plantgate profiles`: the built-in meter profiles and their register maps.
struct ProfilesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "List the built-in meter profiles and their tags.",
        discussion: "Registers are 0-based PDU addresses, as on the wire and in plantgate.yaml."
    )

    @Argument(help: "Show only this profile.",
              completion: .list(MeterProfile.builtIn.map(\.name)))
    var name: String?

    @Flag(help: "Print JSON for scripts.")
    var json = false

    func run() async throws {
        var profiles = MeterProfile.builtIn
        if let name {
            guard let profile = MeterProfile.named(name) else {
                let known = MeterProfile.builtIn.map(\.name).joined(separator: ", ")
                throw Console.fail(.usage("no built-in profile \"\(name)\"; the profiles are: \(known)"))
            }
            profiles = [profile]
        }
        if json {
            Console.out(try JSONText.encode(profiles.map(ProfileListing.init)))
            return
        }
        let terminal = Terminal.standardOutput
        let blocks = profiles.map { profile in
            var table = TextTable(headers: ["TAG", "REGISTER", "TYPE", "ORDER", "UNIT", "KIND"], indent: 2)
            for tag in profile.tags {
                let listing = ProfileListing.Tag(tag)
                table.append([TextTable.Cell(listing.name), TextTable.Cell(listing.register), TextTable.Cell(listing.typeText),
                              TextTable.Cell(listing.order), TextTable.Cell(listing.unit), TextTable.Cell(listing.kind)])
            }
            return terminal.paint(profile.name, .bold) + ": " + profile.summary + "\n" + table.render(on: terminal)
        }
        Console.out(blocks.joined(separator: "\n\n"))
    }
}

/// A profile as `plantgate profiles --json` prints it.
struct ProfileListing: Encodable {
    struct Tag: Encodable {
        var name: String
        var register: String
        var table: String
        var address: Int?
        var type: String
        /// Registers the tag reads (type width × `sumOf`).
        var registers: Int
        var sumOf: Int?
        var order: String
        var unit: String
        var kind: String

        init(_ tag: TagConfig) {
            name = tag.name
            register = tag.register?.description ?? "?"
            table = tag.register?.table.rawValue ?? "?"
            address = tag.register?.address
            type = tag.type?.rawValue ?? "?"
            sumOf = tag.sumOf
            registers = (tag.type?.registerWidth ?? 1) * max(1, tag.sumOf ?? 1)
            order = (tag.order ?? .abcd).rawValue
            unit = tag.unit ?? ""
            kind = (tag.kind ?? .gauge).rawValue
        }

        /// `float32`, or `float32×2` for a sum of two.
        var typeText: String { type + (sumOf.map { "×\($0)" } ?? "") }
    }

    var name: String
    var summary: String
    var tags: [Tag]

    init(_ profile: MeterProfile) {
        name = profile.name
        summary = profile.summary
        tags = profile.tags.map(Tag.init)
    }
}

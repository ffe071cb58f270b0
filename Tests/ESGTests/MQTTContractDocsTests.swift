import ESG
import Foundation
import PlantModel
import Testing

/// docs/mqtt.md is the subscribers' API: its topic table and its captured examples are held to
/// `MQTTTopics`, the type every topic is built with, so the two cannot drift apart.
@Suite struct MQTTContractDocsTests {
    static let document: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/mqtt.md")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()

    @Test func everyDocumentedTopicIsBuiltAndEveryBuiltTopicIsDocumented() throws {
        let documented = try Self.documentedShapes()
        let built = Set(MQTTTopics.contract)
        #expect(documented.subtracting(built).sorted() == [], "in docs/mqtt.md's topic table but not built by MQTTTopics")
        #expect(built.subtracting(documented).sorted() == [], "built by MQTTTopics but missing from docs/mqtt.md's topic table")
    }

    @Test func everyCapturedExampleIsOnATopicOfTheContract() throws {
        let shapes = try MQTTTopics.contract.map { try Regex("^" + Self.pattern($0) + "$") }
        let examples = Self.document.split(separator: "\n").map(String.init)
            .filter { $0.hasPrefix("plantgate/") && $0.contains(" {") }
            .map { String($0.prefix { $0 != " " }) }
        #expect(examples.count >= 15, "docs/mqtt.md's captured examples were found")
        for topic in examples {
            #expect(shapes.contains { topic.wholeMatch(of: $0) != nil }, "\(topic) in docs/mqtt.md is on no topic MQTTTopics builds")
        }
    }

    @Test func sitesTopicsAreTheDocumentedShapesFilledIn() {
        let topics = MQTTTopics(prefix: "plantgate", site: "kz-lioh")
        #expect(topics.raw(device: "pm-main", tag: "power_total") == "plantgate/kz-lioh/devices/pm-main/power_total")
        #expect(topics.period(line: "lioh-1", period: PeriodKind.quarterHour.rawValue) == "plantgate/kz-lioh/lines/lioh-1/periods/15min")
        #expect(topics.metric(line: "lioh-1", metric: "electricity_import_kwh", window: LiveWindow.fifteenMinutes.topicLevel)
                == "plantgate/kz-lioh/lines/lioh-1/electricity_import_kwh/15m")
        #expect(topics.metric(line: "lioh-1", metric: "demand_kw_15m", window: LiveWindow.demandBlock.topicLevel)
                == "plantgate/kz-lioh/lines/lioh-1/demand_kw_15m")
        #expect(MQTTTopics(prefix: "plantgate", site: "+").bridgeNotification == "plantgate/_bridge/+")
    }

    /// The first column of the `## Topics` table: each code span, `{a\|b}` spelled out, `…/x` completed
    /// from the span before it.
    static func documentedShapes() throws -> Set<String> {
        let section = try #require(document.components(separatedBy: "## Topics\n").dropFirst().first, "docs/mqtt.md has a Topics section")
        let rows = section.split(separator: "\n", omittingEmptySubsequences: false)
            .drop { $0.isEmpty }.prefix { !$0.isEmpty }.dropFirst(2)
        var shapes: Set<String> = []
        for row in rows {
            let cell = row.replacingOccurrences(of: "\\|", with: "\u{1}").split(separator: "|").first.map(String.init) ?? ""
            var previous = ""
            for span in cell.split(separator: "`").enumerated().filter({ $0.offset % 2 == 1 }).map({ String($0.element) }) {
                var shape = span.replacingOccurrences(of: "\u{1}", with: "|")
                if shape.hasPrefix("…/") { shape = previous.split(separator: "/").dropLast().joined(separator: "/") + shape.dropFirst() }
                previous = shape
                shapes.formUnion(expand(shape))
            }
        }
        return shapes
    }

    /// `a/{x|y}` → `a/x`, `a/y`.
    static func expand(_ shape: String) -> [String] {
        guard let match = shape.firstMatch(of: /\{([^{}]*\|[^{}]*)\}/) else { return [shape] }
        return match.1.split(separator: "|").flatMap {
            expand(shape.replacingCharacters(in: match.range, with: String($0)))
        }
    }

    /// A shape as a regular expression: `{placeholder}` is one topic level, `…` the rest.
    static func pattern(_ shape: String) -> String {
        var out = ""
        var rest = Substring(shape)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += NSRegularExpression.escapedPattern(for: String(rest[..<open])) + "[^/]+"
            rest = rest[rest.index(after: close)...]
        }
        return (out + NSRegularExpression.escapedPattern(for: String(rest))).replacingOccurrences(of: "…", with: ".+")
    }
}

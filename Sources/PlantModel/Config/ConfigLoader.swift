import Foundation
import Yams

/// A configuration that parsed and validated, with the warnings found and where each key sits.
public struct LoadedConfig: Sendable {
    public var config: PlantConfig
    public var plan: PlantPlan
    public var source: SourceMap
    public var warnings: [ConfigDiagnostic] { plan.warnings }
}

/// Loads plantgate.yaml: parse, check every field, check the whole (references, overlaps, units,
/// topics, bus load), compile. Every error found is reported at once.
public enum ConfigLoader {
    /// Loads configuration text; `file` is the name used in messages; `files` looks up the files it names.
    /// Without `files` (a config in a test, a built-in profile) those files are not checked, and a fitted
    /// baseline model cannot be read.
    public static func load(yaml: String, file: String = "plantgate.yaml",
                            files: ConfigFileReader? = nil) -> Result<LoadedConfig, ConfigDiagnostics> {
        let reader = ConfigReader(file: file, files: files)
        func fail(_ line: Int, _ message: String) -> Result<LoadedConfig, ConfigDiagnostics> {
            .failure(ConfigDiagnostics(errors: [ConfigDiagnostic(file: file, line: line, path: "", message: message)]))
        }
        if let refusal = YAMLSafety.refusal(of: yaml) { return fail(refusal.line, refusal.message) }
        let root: Node
        do {
            guard let composed = try Yams.compose(yaml: yaml) else {
                return fail(1, "the file is empty; start from /usr/share/doc/plantgate/examples/lithium-hydroxide.yaml")
            }
            root = composed
        } catch let error as YamlError {
            let (line, message) = describe(error)
            return fail(line, "not valid YAML: \(message)")
        } catch {
            return fail(0, "not valid YAML: \(error)")
        }
        if let problem = YAMLSafety.shapeProblem(of: root) { return fail(problem.line, problem.message) }
        guard let config = ConfigParser(reader: reader).parse(root) else {
            return .failure(ConfigDiagnostics(errors: reader.errors, warnings: reader.warnings))
        }
        // The whole-config checks run on whatever parsed, so that every mistake comes out in one run.
        let named = files.map { ReferencedFiles.problems(in: config, source: reader.source, files: $0) } ?? []
        let earlier = reader.errors + named.filter { !reader.damage.explains($0.path) }
        switch PlantPlan.compile(config, source: reader.source, damage: reader.damage) {
        case .success(var plan) where earlier.isEmpty:
            plan.revision = SourceRevision.of(text: yaml)
            plan.warnings = reader.warnings + plan.warnings
            return .success(LoadedConfig(config: config, plan: plan, source: reader.source))
        case .success(let plan):
            return .failure(ConfigDiagnostics(errors: earlier, warnings: reader.warnings + plan.warnings))
        case .failure(let diagnostics):
            return .failure(ConfigDiagnostics(errors: earlier + diagnostics.errors, warnings: reader.warnings + diagnostics.warnings))
        }
    }

    /// Loads the bytes of a configuration file that the caller read (the model reads no files); `path`
    /// names it in messages. A file that is not UTF-8 is a single clear error at its line and column.
    public static func load(data: some Collection<UInt8>, path: String, files: ConfigFileReader? = nil) -> Result<LoadedConfig, ConfigDiagnostics> {
        let name = (path as NSString).lastPathComponent
        if let (line, column) = UTF8Position.firstInvalid(in: data) {
            var error = ConfigDiagnostic(file: name, line: line, path: "", message: "not UTF-8 text here (a Latin-1 or Windows-1252 character, or a binary file?); save the file as UTF-8 or retype the character")
            error.column = column
            return .failure(ConfigDiagnostics(errors: [error]))
        }
        let text = String(decoding: data, as: UTF8.self)
        return load(yaml: text, file: name, files: files)
    }

    /// The one error for a configuration file the caller could not read.
    public static func unreadable(path: String) -> ConfigDiagnostics {
        ConfigDiagnostics(errors: [ConfigDiagnostic(file: path, line: 0, path: "", message: "cannot read the file; check that it exists and that the plantgate user may read it")])
    }

    static func describe(_ error: YamlError) -> (Int, String) {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            return (mark.line, problem + (context.map { " \($0.text) at line \($0.mark.line)" } ?? ""))
        case let .reader(problem, offset, _, yaml):
            let line = offset.map { offset in yaml.utf8.prefix(offset).reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) } } ?? 0
            return (line, problem + " (binary data or a control character in the text?)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let line = secondOccurrence(of: duplicates.first ?? "", after: context.mark.line, in: context.text) ?? context.mark.line
            return (line, "duplicate keys \(duplicates.joined(separator: ", ")); keep one of each")
        default:
            return (0, "\(error)")
        }
    }

    /// Yams marks the first of two duplicate keys; the mistake is usually the second, at the same indentation.
    static func secondOccurrence(of key: String, after firstLine: Int, in text: String) -> Int? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func keyColumn(_ line: Substring) -> Int? {
            var rest = line.drop { $0 == " " }
            var column = line.count - rest.count
            if rest.hasPrefix("- ") { rest = rest.dropFirst(2).drop { $0 == " " }; column = line.count - rest.count }
            return rest.hasPrefix("\(key):") ? column : nil
        }
        guard firstLine >= 1, firstLine <= lines.count, let column = keyColumn(lines[firstLine - 1]) else { return nil }
        for index in firstLine..<lines.count where keyColumn(lines[index]) == column { return index + 1 }
        return nil
    }
}

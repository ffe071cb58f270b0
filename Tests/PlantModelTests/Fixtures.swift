import ConfigFiles
import Foundation
@testable import PlantModel

/// Test files located relative to this source file (not SwiftPM resources).
enum Fixtures {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repository = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()

    static func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    static func example(_ name: String) throws -> String {
        try text(repository.appendingPathComponent("Deploy/examples/\(name).yaml"))
    }

    static func broken(_ name: String) throws -> String {
        try text(testsDirectory.appendingPathComponent("BrokenConfigs/\(name).yaml"))
    }

    /// Files a config names, looked up on disk as the daemon and the CLI look them up.
    static let disk: ConfigFileReader = { ConfigFiles.lookup($0) }

    /// The messages of a failed load, or an empty list if it loaded.
    static func messages(_ yaml: String, file: String = "plantgate.yaml", files: ConfigFileReader? = disk) -> [String] {
        switch ConfigLoader.load(yaml: yaml, file: file, files: files) {
        case .success: []
        case .failure(let diagnostics): diagnostics.errors.map(\.description)
        }
    }
}

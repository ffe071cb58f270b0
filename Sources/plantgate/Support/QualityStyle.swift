import PlantgateConsole
/// The colour of a quality or state word, the same everywhere.
enum QualityStyle {
    static func style(_ quality: String) -> Terminal.Style {
        switch quality {
        case "good", "up", "connected", "ok": .good
        case "uncertain": .warning
        default: .bad
        }
    }
}

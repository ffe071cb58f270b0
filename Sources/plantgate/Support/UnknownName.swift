import PlantModel

/// The message for a name given on the command line that does not exist: the known names and the
/// nearest one, so a typo is fixed without opening the config.
enum UnknownName {
    static func message(_ what: String, _ name: String, known: [String], place: String) -> String {
        let hint = Suggestion.closest(to: name, in: known).map { "did you mean \"\($0)\"? " } ?? ""
        let list = known.isEmpty ? "it has none" : "its \(what)s are: \(known.joined(separator: ", "))"
        return "no \(what) \"\(name)\" in \(place); \(hint)\(list)"
    }
}

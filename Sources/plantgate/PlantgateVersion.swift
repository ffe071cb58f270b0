/// The version both executables report.
enum PlantgateVersion {
    static let string = "0.1.0"
}

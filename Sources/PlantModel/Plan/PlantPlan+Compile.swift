extension PlantPlan {
    /// Checks a configuration as a whole and compiles it. `source` supplies file:line for findings
    /// (pass the one `ConfigLoader` returns); warnings end up in `PlantPlan.warnings`.
    public static func compile(_ config: PlantConfig, source: SourceMap = SourceMap()) -> Result<PlantPlan, ConfigDiagnostics> {
        var compiler = PlantCompiler(config: config, source: source)
        if let plan = compiler.compile() { return .success(plan) }
        return .failure(ConfigDiagnostics(errors: compiler.errors, warnings: compiler.warnings))
    }
}

extension PlantPlan {
    /// Checks a configuration as a whole and compiles it. `source` supplies file:line for findings
    /// (pass the one `ConfigLoader` returns); warnings end up in `PlantPlan.warnings`.
    public static func compile(_ config: PlantConfig, source: SourceMap = SourceMap()) -> Result<PlantPlan, ConfigDiagnostics> {
        compile(config, source: source, damage: ParseDamage())
    }

    /// `compile`, leaving out what only restates a parse error (see `ParseDamage`).
    static func compile(_ config: PlantConfig, source: SourceMap, damage: ParseDamage) -> Result<PlantPlan, ConfigDiagnostics> {
        var compiler = PlantCompiler(config: config, source: source, damage: damage)
        if let plan = compiler.compile() { return .success(plan) }
        return .failure(ConfigDiagnostics(errors: compiler.errors, warnings: compiler.warnings))
    }
}

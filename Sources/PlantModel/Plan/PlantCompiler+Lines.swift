extension PlantCompiler {
    /// Each line's inputs resolved to tag indices, with units folded into `toBase` and counter specs.
    mutating func compileLines() -> [LineDefinition] {
        config.lines.enumerated().map { lineIndex, line in
            var inputs: [LineInput] = []
            var seen: Set<String> = []
            let written = lineIndex < damage.inputPaths.count ? damage.inputPaths[lineIndex] : []
            for (index, input) in line.inputs.enumerated() {
                let path = index < written.count ? written[index] : "\(self.path("lines", lineIndex)).inputs[\(index)]"
                if !seen.insert("\(input.tag) \(input.role.configName)").inserted {
                    error("\(path).tag", "\(input.tag) is already an input of line \(line.id) in role \(input.role.configName); list it once")
                }
                if let compiled = compileInput(input, path: path) { inputs.append(compiled) }
            }
            if line.baseline?.period == .shift && config.site.shiftStarts.isEmpty {
                error("\(self.path("lines", lineIndex)).baseline", "the baseline judges shift records, but site.shifts is empty; add the shift starts or use period: day")
            }
            return LineDefinition(id: line.id, name: line.name, product: line.product, inputs: inputs, electrowinning: line.electrowinning,
                                  baseline: line.baseline)
        }
    }

    mutating func compileInput(_ input: InputConfig, path: String) -> LineInput? {
        // An electrowinning tag is written as one key (`electrowinning.current: rect/dc_current`): it is its own tag and role.
        let tagPath = input.role.isElectrowinning ? path : "\(path).tag"
        let rolePath = input.role.isElectrowinning ? path : "\(path).role"
        let parts = input.tag.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else {
            error(tagPath, "expected \"device/tag\", found \"\(input.tag)\"")
            return nil
        }
        if damage.isBroken("tag", input.tag) { return nil }
        guard config.devices.contains(where: { $0.id == parts[0] }) else {
            error(tagPath, "unknown device \"\(parts[0])\"" + Suggestion.hint(for: parts[0], in: config.devices.map(\.id)))
            return nil
        }
        guard let tag = tags.first(where: { $0.path == input.tag }) else {
            let names = tags.filter { $0.device == parts[0] }.map(\.name)
            let hint = Suggestion.hint(for: parts[1], in: names)
            error(tagPath, "device \(parts[0]) has no tag \"\(parts[1])\"" + (hint.isEmpty ? " (is it excluded by `only:`?)" : hint))
            return nil
        }
        let toBase: Double
        switch UnitConversion.toBase(from: tag.unit, role: input.role) {
        case .success(let factor): toBase = factor
        case .failure(let mismatch):
            error(rolePath, "\(input.tag): \(mismatch.message)")
            return nil
        }
        if let fuel = input.fuel, config.factors.fuels[fuel.fuel] == nil, !damage.isBroken("fuel", fuel.fuel) {
            error("\(path).fuel", "fuel \"\(fuel.fuel)\" has no emission factor; add it under factors.fuels" + Suggestion.hint(for: fuel.fuel, in: config.factors.fuels.keys))
        }
        var counter: CounterSpec?
        if input.role.isCounter {
            let marker = tag.resetMarker.flatMap { name in tags.first { $0.device == tag.device && $0.name == name }?.index }
            counter = CounterSpec(modulus: tag.modulus.map { $0 * toBase },
                                  maxRatePerHour: tag.maxRatePerHour.map { $0 * toBase } ?? UnitConversion.defaultMaxRate(for: input.role),
                                  resetMarker: marker)
        }
        return LineInput(tag: tag.index, tagPath: tag.path, role: input.role, toBase: toBase, counter: counter, fuel: input.fuel,
                         strapping: input.strapping)
    }

    /// Every contractual instrument names a configured line (it is claimed by exactly that one).
    mutating func checkInstruments() {
        let ids = config.lines.map(\.id)
        for (index, instrument) in (config.factors.market?.instruments ?? []).enumerated() where !ids.contains(instrument.line) {
            error("factors.market.instruments[\(index)].line", "unknown line \"\(instrument.line)\"" + Suggestion.hint(for: instrument.line, in: ids))
        }
    }
}

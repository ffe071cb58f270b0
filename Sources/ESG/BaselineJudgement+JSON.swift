import PlantModel

extension BaselineJudgement {
    /// `{"expected","enpi","savings","cusum","extrapolated","q"[,"reasons"]}`, null where withheld.
    func json() -> String {
        func number(_ x: Double?) -> String { x.map(PeriodRecord.number) ?? "null" }
        var out = "{\"expected\":" + number(expected) + ",\"enpi\":" + number(enpi) + ",\"savings\":" + number(savings)
        out += ",\"cusum\":" + number(cusum) + ",\"extrapolated\":" + (extrapolated ? "true" : "false")
        out += ",\"q\":" + PeriodRecord.quoted(quality.name)
        if !reasons.isEmpty { out += ",\"reasons\":" + PeriodRecord.list(reasons.codes) }
        return out + "}"
    }
}

import PlantModel

extension BaselineJudgement {
    /// `{"expected","enpi","savings","cusum","extrapolated","q"[,"reasons"]}`, null where withheld.
    func write(into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("expected"); writer.number(expected)
        writer.key("enpi"); writer.number(enpi)
        writer.key("savings"); writer.number(savings)
        writer.key("cusum"); writer.number(cusum)
        writer.key("extrapolated"); writer.bool(extrapolated)
        writer.key("q"); writer.string(quality.name)
        if !reasons.isEmpty { writer.key("reasons"); writer.strings(reasons.codes) }
        writer.endObject()
    }
}

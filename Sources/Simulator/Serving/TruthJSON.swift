/// JSON text of a truth record, keys sorted, numbers as `JSONSerialization` writes them (whole numbers
/// without `.0`), but an order of magnitude cheaper: at speed, Foundation's writer (bridging every
/// dictionary) cost more than the plant's integrals. A non-finite number is written as `null`.
enum TruthJSON {
    static func write(_ value: Any, into text: inout String) {
        switch value {
        case let number as Double: write(number, into: &text)
        case let number as Int: text += String(number)
        case let string as String: write(string, into: &text)
        case let object as [String: Double]: writeObject(object, into: &text) { write($0, into: &$1) }
        case let object as [String: Int]: writeObject(object, into: &text) { $1 += String($0) }
        case let object as [String: [String: Int]]: writeObject(object, into: &text) { write($0, into: &$1) }
        case let object as [String: Any]: writeObject(object, into: &text) { write($0, into: &$1) }
        default: text += "null"
        }
    }

    static func write(_ number: Double, into text: inout String) {
        if !number.isFinite {
            text += "null"
        } else if number == number.rounded(), abs(number) < 1e15 {
            text += String(Int64(number))
        } else {
            text += String(number)
        }
    }

    static func write(_ string: String, into text: inout String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case _ where scalar.value < 0x20: text += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }

    private static func writeObject<Value>(_ object: [String: Value], into text: inout String, _ element: (Value, inout String) -> Void) {
        text += "{"
        for (index, key) in object.keys.sorted().enumerated() {
            if index > 0 { text += "," }
            write(key, into: &text)
            text += ":"
            if let value = object[key] { element(value, &text) }
        }
        text += "}"
    }
}

import Yams

/// Cheap checks on raw YAML text before it reaches the parser, so that hostile input (alias bombs,
/// absurd nesting, huge files) is refused with a clear message instead of hanging or exhausting memory.
enum YAMLSafety {
    static let maxBytes = 4 << 20
    static let maxAliases = 32
    static let maxFlowDepth = 64
    static let maxBlockColumns = 256

    /// A message saying why the text is refused, or nil when it may be parsed.
    static func refusal(of text: String) -> (line: Int, message: String)? {
        let bytes = text.utf8
        if bytes.count > maxBytes {
            return (0, "the file is \(bytes.count) bytes; a plantgate config is at most \(maxBytes) bytes — is this the right file?")
        }
        var aliases = 0, flowDepth = 0, line = 1, column = 0, inComment = false, atLineStart = true
        var previous: UInt8 = 0x0A
        for byte in bytes {
            if byte == 0x0A {
                line += 1; column = 0; inComment = false; atLineStart = true; previous = byte
                continue
            }
            column += 1
            if inComment { previous = byte; continue }
            if atLineStart {
                // Leading indentation and block indicators (`- `, `? `) each open a nesting level.
                if byte == 0x20 || byte == 0x2D || byte == 0x3F || byte == 0x09 {
                    if column > maxBlockColumns {
                        return (line, "nesting deeper than \(maxBlockColumns) columns of indentation; plantgate.yaml needs only a few levels — check for a runaway list or mapping")
                    }
                } else {
                    atLineStart = false
                }
            }
            switch byte {
            case 0x23 where previous == 0x20 || previous == 0x09 || previous == 0x0A: inComment = true
            case 0x5B, 0x7B:
                flowDepth += 1
                if flowDepth > maxFlowDepth {
                    return (line, "nesting deeper than \(maxFlowDepth) levels of [ ] or { }; plantgate.yaml needs only a few levels")
                }
            case 0x5D, 0x7D: flowDepth = max(0, flowDepth - 1)
            case 0x2A where [0x20, 0x09, 0x0A, 0x5B, 0x7B, 0x2C, 0x3A, 0x3F, 0x2D].contains(previous):
                aliases += 1
                if aliases > maxAliases {
                    return (line, "more than \(maxAliases) `*alias` references; plantgate.yaml allows at most \(maxAliases) (protection against alias expansion bombs) — write the values out")
                }
            default: break
            }
            previous = byte
        }
        return nil
    }
}

extension YAMLSafety {
    static let maxDepth = 64
    static let maxNodes = 100_000

    /// Walks the composed tree without recursion, refusing depth > 64 or more than 100,000 nodes once
    /// aliases are expanded (an alias counts as a full copy, which is what a reader of it would see).
    static func shapeProblem(of root: Node) -> (line: Int, message: String)? {
        var stack: [(Node, Int)] = [(root, 1)]
        var count = 0
        while let (node, depth) = stack.popLast() {
            count += 1
            if count > maxNodes {
                return (ConfigReader.line(node), "the document expands to more than \(maxNodes) values (alias expansion?); plantgate refuses it — write the values out")
            }
            if depth > maxDepth {
                return (ConfigReader.line(node), "nesting deeper than \(maxDepth) levels; plantgate.yaml needs only a few levels — check for a runaway list or mapping")
            }
            switch node {
            case .mapping(let mapping):
                for (key, value) in mapping { stack.append((key, depth + 1)); stack.append((value, depth + 1)) }
            case .sequence(let sequence):
                for item in sequence { stack.append((item, depth + 1)) }
            case .scalar, .alias: break
            }
        }
        return nil
    }
}

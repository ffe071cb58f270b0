import Foundation
import PlantModel

/// libFuzzer entry: any bytes as a config file. The loader must load it or refuse it with diagnostics
/// that have a line; it must never crash, hang or exhaust memory.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Data(bytes: data, count: size)
    guard let text = String(data: bytes, encoding: .utf8) else { return 0 }
    switch ConfigLoader.load(yaml: text) {
    case .success(let loaded):
        _ = loaded.plan.summary
    case .failure(let diagnostics):
        precondition(!diagnostics.errors.isEmpty, "a refusal without an error")
        _ = diagnostics.description
    }
    return 0
}

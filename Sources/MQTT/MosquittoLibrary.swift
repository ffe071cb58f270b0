import CMosquitto

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `mosquitto_lib_init()` runs exactly once per process: Swift initialises a global `let` lazily and
/// thread-safely (swift_once), the first time any client is created.
private let mosquittoLibraryInitialisation: Int32 = mosquitto_lib_init()

/// Makes sure libmosquitto is initialised; returns its result code (always success on Linux).
@discardableResult
func ensureMosquittoLibrary() -> Int32 { mosquittoLibraryInitialisation }

/// The calling thread's errno. Read it in the statement right after the C call that set it.
@inline(__always)
func errnoValue() -> Int32 { errno }

/// Runs one libmosquitto call and captures errno immediately after it, before anything can clobber it.
@inline(__always)
func mosquittoCall(_ body: () -> Int32) -> (rc: Int32, errno: Int32) {
    let rc = body()
    let savedErrno = errno
    return (rc, savedErrno)
}

/// libmosquitto's version, e.g. `2.0.11`.
public func mosquittoLibraryVersion() -> String {
    var major: Int32 = 0
    var minor: Int32 = 0
    var revision: Int32 = 0
    _ = mosquitto_lib_version(&major, &minor, &revision)
    return "\(major).\(minor).\(revision)"
}

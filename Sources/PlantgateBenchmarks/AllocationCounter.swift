import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Counts calls to malloc/calloc/realloc/posix_memalign process-wide through a tiny LD_PRELOAD library.
///
/// Swift cannot interpose `malloc` from inside an executable (the symbol is not exported), and
/// `mallinfo2()` reports bytes in use, not calls; so the benchmark builds the counting library with
/// `cc` at start-up and re-executes itself with it preloaded. Without `cc` it runs without counts.
enum AllocationCounter {
    private static let marker = "PLANTGATE_BENCH_ALLOCATION_SHIM"

    private static let source = """
    #include <stddef.h>
    #include <errno.h>
    extern void *__libc_malloc(size_t);
    extern void *__libc_calloc(size_t, size_t);
    extern void *__libc_realloc(void *, size_t);
    extern void *__libc_memalign(size_t, size_t);
    static unsigned long long plantgate_count;
    unsigned long long plantgate_allocations(void) { return __atomic_load_n(&plantgate_count, __ATOMIC_RELAXED); }
    void *malloc(size_t n) { __atomic_fetch_add(&plantgate_count, 1, __ATOMIC_RELAXED); return __libc_malloc(n); }
    void *calloc(size_t c, size_t n) { __atomic_fetch_add(&plantgate_count, 1, __ATOMIC_RELAXED); return __libc_calloc(c, n); }
    void *realloc(void *p, size_t n) { __atomic_fetch_add(&plantgate_count, 1, __ATOMIC_RELAXED); return __libc_realloc(p, n); }
    int posix_memalign(void **out, size_t a, size_t n) {
        __atomic_fetch_add(&plantgate_count, 1, __ATOMIC_RELAXED);
        void *p = __libc_memalign(a, n);
        if (!p) return ENOMEM;
        *out = p;
        return 0;
    }
    void *aligned_alloc(size_t a, size_t n) { __atomic_fetch_add(&plantgate_count, 1, __ATOMIC_RELAXED); return __libc_memalign(a, n); }
    """

    /// Re-executes the benchmark with the counting library preloaded, once; returns when that is not possible.
    static func preloadIfPossible() {
        guard getenv(marker) == nil else { return }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plantgate-alloc-\(getpid())")
        let library = directory.appendingPathComponent("libcount.so").path
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try source.write(to: directory.appendingPathComponent("count.c"), atomically: true, encoding: .utf8)
        } catch { return }
        let cc = Process()
        cc.executableURL = URL(fileURLWithPath: "/usr/bin/cc")
        cc.arguments = ["-shared", "-fPIC", "-O2", "-o", library, directory.appendingPathComponent("count.c").path]
        guard (try? cc.run()) != nil else { return }
        cc.waitUntilExit()
        guard cc.terminationStatus == 0 else { return }
        setenv(marker, library, 1)
        setenv("LD_PRELOAD", library, 1)
        let arguments = CommandLine.arguments
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", argv)
        // execv returned: keep running without counts.
        unsetenv("LD_PRELOAD")
    }

    private typealias CountFunction = @convention(c) () -> UInt64
    private static let counter: CountFunction? = {
        guard getenv(marker) != nil, let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "plantgate_allocations") else { return nil }
        return unsafeBitCast(symbol, to: CountFunction.self)
    }()

    /// Allocations so far in this process, or nil when the counting library is not loaded.
    static var count: UInt64? { counter?() }
}

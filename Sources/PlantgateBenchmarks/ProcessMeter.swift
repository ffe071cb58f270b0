import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// CPU time and memory of this process or another one, from getrusage and /proc.
enum ProcessMeter {
    /// User + system CPU seconds of the whole process.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// User + system CPU seconds of another process (`/proc/PID/stat`).
    static func cpuSeconds(process: String) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(process)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        // Fields after "(comm)": state is field 3; utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Resident set size now, its peak and its anonymous part (VmRSS, VmHWM, RssAnon), in MB, of this
    /// process or another one. The rest of RSS is clean file pages (code, read-only data) the kernel can drop.
    static func residentMegabytes(process: String = "self") -> (current: Double, peak: Double, anonymous: Double) {
        guard let status = try? String(contentsOfFile: "/proc/\(process)/status", encoding: .utf8) else { return (0, 0, 0) }
        func field(_ name: String) -> Double {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return 0 }
            return (Double(line.split(separator: " ").dropFirst().first.map(String.init) ?? "") ?? 0) / 1024
        }
        return (field("VmRSS:"), field("VmHWM:"), field("RssAnon:"))
    }

    /// Resets the peak RSS to the current RSS, so each scenario reports its own peak.
    static func resetPeakResident() {
        _ = try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    private static func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
}

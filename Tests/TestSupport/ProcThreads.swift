import Foundation

/// A process's threads as the kernel shows them in /proc (what `top -H` and `ps -L` read): their names,
/// and how often each went to sleep.
public enum ProcThreads {
    /// Task id and name of every thread of `pid` (this process by default).
    public static func names(of pid: pid_t = getpid()) -> [(task: String, name: String)] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.compactMap { task in
            (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/comm", encoding: .utf8))
                .map { (task, $0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
    }

    /// The task id of the thread of `pid` named `name`, if there is one.
    public static func task(named name: String, of pid: pid_t = getpid()) -> String? {
        names(of: pid).first { $0.name == name }?.task
    }

    /// The thread's voluntary context switches so far: each is the thread going to sleep.
    public static func voluntarySwitches(task: String, of pid: pid_t = getpid()) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/task/\(task)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("voluntary_ctxt_switches:") }),
            let count = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces))
        else { throw TestSupportError("no voluntary_ctxt_switches in /proc/\(pid)/task/\(task)/status") }
        return count
    }
}

"""A gateway's CPU, memory and context switches, read from /proc as an operator would."""

import os

TICKS = os.sysconf("SC_CLK_TCK")


def read_status(path):
    """A /proc status file as {field: its first word} (VmRSS: "5120", Threads: "9", …)."""
    values = {}
    with open(path) as f:
        for line in f:
            key, _, rest = line.partition(":")
            words = rest.split()
            values[key] = words[0] if words else ""
    return values


class ProcessMeter:
    def __init__(self, pid):
        self.pid = pid
        self.rss_max_kb = 0

    def cpu(self):
        """(utime, stime) in seconds, all threads, dead ones included."""
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) / TICKS, int(fields[12]) / TICKS

    def status(self):
        return read_status(f"/proc/{self.pid}/status")

    def per_thread(self, read):
        """read(/proc/PID/task/TID) for each live thread, by thread id; a thread that ended meanwhile is left out."""
        values = {}
        for task in os.listdir(f"/proc/{self.pid}/task"):
            try:
                values[task] = read(f"/proc/{self.pid}/task/{task}")
            except (FileNotFoundError, ProcessLookupError, KeyError, IndexError, ValueError):
                pass
        return values

    def switches(self):
        """Voluntary and involuntary context switches of each live thread, by thread id."""
        def counts(task):
            values = read_status(f"{task}/status")
            return int(values["voluntary_ctxt_switches"]), int(values["nonvoluntary_ctxt_switches"])
        return self.per_thread(counts)

    def switch_delta(self, before, after):
        """Switches between two readings: a thread's own difference, all of a thread born since (a thread
        that ended meanwhile is lost: short-lived threads are undercounted)."""
        voluntary = sum(v - before.get(t, (0, 0))[0] for t, (v, _) in after.items())
        involuntary = sum(n - before.get(t, (0, 0))[1] for t, (_, n) in after.items())
        return voluntary, involuntary

    def run_nanos(self):
        """Nanoseconds each live thread has run (/proc/PID/task/TID/schedstat): finer than the 10 ms ticks
        of utime/stime, which a light load of a few % spends in a handful of."""
        def nanos(task):
            with open(f"{task}/schedstat") as f:
                return int(f.read().split()[0])
        return self.per_thread(nanos)

    def begin(self):
        self.run0 = self.run_nanos()
        self.cpu0, self.switches0 = self.cpu(), self.switches()
        self.sample()

    def sample(self):
        self.rss_max_kb = max(self.rss_max_kb, int(self.status().get("VmRSS", 0)))

    def end(self, seconds):
        cpu, switches, status, run = self.cpu(), self.switches(), self.status(), self.run_nanos()
        ran = sum(n - self.run0.get(t, 0) for t, n in run.items())
        user, system = cpu[0] - self.cpu0[0], cpu[1] - self.cpu0[1]
        voluntary, involuntary = self.switch_delta(self.switches0, switches)
        return {
            "cpu_percent": round((user + system) / seconds * 100, 3),
            # From schedstat: live threads only (one that ended in the window is left out).
            "cpu_percent_schedstat": round(ran / 1e9 / seconds * 100, 4),
            "utime_s": round(user, 2), "stime_s": round(system, 2),
            "rss_mb": round(self.rss_max_kb / 1024, 1),
            "rss_anon_mb": round(int(status.get("RssAnon", 0)) / 1024, 1),
            "vmhwm_mb": round(int(status.get("VmHWM", 0)) / 1024, 1),
            "threads": int(status.get("Threads", 0)),
            "context_switches_per_s": round((voluntary + involuntary) / seconds, 1),
            "involuntary_switches_per_s": round(involuntary / seconds, 1),
        }

"""A gateway's CPU, memory and context switches, read from /proc as an operator would."""

import os

TICKS = os.sysconf("SC_CLK_TCK")


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
        values = {}
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                key, _, rest = line.partition(":")
                values[key] = rest.split()[0] if rest.split() else ""
        return values

    def switches(self):
        """Voluntary and involuntary context switches of each live thread, by thread id."""
        counts = {}
        for task in os.listdir(f"/proc/{self.pid}/task"):
            try:
                with open(f"/proc/{self.pid}/task/{task}/status") as f:
                    values = dict(line.split(":", 1) for line in f if "ctxt_switches" in line)
                counts[task] = (int(values["voluntary_ctxt_switches"]), int(values["nonvoluntary_ctxt_switches"]))
            except (FileNotFoundError, ProcessLookupError, KeyError):
                pass  # a thread that ended meanwhile
        return counts

    def switch_delta(self, before, after):
        """Switches between two readings: a thread's own difference, all of a thread born since (a thread
        that ended meanwhile is lost: short-lived threads are undercounted)."""
        voluntary = sum(v - before.get(t, (0, 0))[0] for t, (v, _) in after.items())
        involuntary = sum(n - before.get(t, (0, 0))[1] for t, (_, n) in after.items())
        return voluntary, involuntary

    def run_nanos(self):
        """Nanoseconds each live thread has run (/proc/PID/task/TID/schedstat): finer than the 10 ms ticks
        of utime/stime, which a light load of a few % spends in a handful of."""
        nanos = {}
        for task in os.listdir(f"/proc/{self.pid}/task"):
            try:
                with open(f"/proc/{self.pid}/task/{task}/schedstat") as f:
                    nanos[task] = int(f.read().split()[0])
            except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
                pass
        return nanos

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

#!/usr/bin/env python3
"""What a running process holds in memory, by mapping: resident, anonymous and private bytes per file
(executable, each shared library) and for the heap, stacks and other anonymous memory.

    python3 Deploy/bench/smaps-summary.py $(pidof plantgated)

Reads /proc/PID/smaps (needs the right to read it: the same user, or root).
"""

import sys
from collections import defaultdict


def summary(pid):
    totals = defaultdict(lambda: defaultdict(int))
    name = None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            fields = line.split()
            if "-" in fields[0] and len(fields) >= 5 and ":" in fields[3]:
                name = fields[5] if len(fields) > 5 else "[anonymous]"
                if name.startswith("[stack"):
                    name = "[stacks]"
            elif fields[0] in ("Rss:", "Anonymous:", "Private_Dirty:", "Private_Clean:", "Shared_Clean:", "Size:"):
                totals[name][fields[0].rstrip(":")] += int(fields[1])
    return totals


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: smaps-summary.py PID")
    totals = summary(sys.argv[1])
    rows = sorted(totals.items(), key=lambda item: -item[1]["Rss"])
    print(f"{'mapping':60} {'size':>9} {'rss':>8} {'anon':>8} {'priv':>8}  (KB)")
    for name, values in rows:
        if values["Rss"] < 64:
            continue
        private = values["Private_Dirty"] + values["Private_Clean"]
        print(f"{name[-60:]:60} {values['Size']:9} {values['Rss']:8} {values['Anonymous']:8} {private:8}")
    print(f"{'total':60} {sum(v['Size'] for v in totals.values()):9} {sum(v['Rss'] for v in totals.values()):8} "
          f"{sum(v['Anonymous'] for v in totals.values()):8}")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Draws the scale curve (docs/scale-curve.png) from PlantgateBenchmarks' JSON:

    .build-release/release/PlantgateBenchmarks --only scale --json bench.json
    /usr/bin/python3 Deploy/bench/plot-scale.py bench.json docs/scale-curve.png

Needs python3-matplotlib (Debian; hence /usr/bin/python3, the system interpreter). Left: the daemon's
CPU in % of a core against registers polled at 1 s; right: RSS and its anonymous part (heap, stacks)
against registers. Straight lines mean linear cost.
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: plot-scale.py BENCH.json OUT.png")
    with open(sys.argv[1]) as f:
        report = json.load(f)
    curve = report.get("scale")
    if not curve or not curve.get("points"):
        sys.exit(f"{sys.argv[1]}: no \"scale\" section; run PlantgateBenchmarks --only scale --json FILE first")
    points = curve["points"]
    registers = [p["registers"] / 1000 for p in points]
    figure, (cpu, memory) = plt.subplots(1, 2, figsize=(9, 3.6), dpi=110)
    cpu.plot(registers, [p["cpuPercent"] for p in points], "o-", color="tab:blue")
    for x, p in zip(registers, points):
        cpu.annotate(f'{p["cpuSecondsPerMillionRegisters"]:.2f} CPU-s\nper 10⁶ registers', (x, p["cpuPercent"]),
                     textcoords="offset points", xytext=(6, -18), fontsize=7, ha="left")
    cpu.set(xlabel="registers polled at 1 s (thousands)", ylabel="plantgated CPU (% of one core)", title="CPU")
    memory.plot(registers, [p["rssMegabytes"] for p in points], "o-", color="tab:green", label="RSS")
    memory.plot(registers, [p["anonymousRSSMegabytes"] for p in points], "s--", color="tab:orange", label="anonymous (heap, stacks)")
    slope = curve.get("marginalRSSBytesPerRegister")
    title = "Memory" + (f" ({slope:.0f} bytes per extra register)" if slope is not None else "")
    memory.set(xlabel="registers polled at 1 s (thousands)", ylabel="MB", title=title)
    memory.legend(fontsize=8)
    for axis in (cpu, memory):
        axis.set_xlim(0, max(registers) * 1.25)
        axis.set_ylim(0, axis.get_ylim()[1] * 1.15)
        axis.grid(alpha=0.3)
    figure.suptitle("plantgated as the plant grows (values steady, published on change)", fontsize=10)
    figure.tight_layout()
    figure.savefig(sys.argv[2])


if __name__ == "__main__":
    main()

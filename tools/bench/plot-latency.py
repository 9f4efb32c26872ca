#!/usr/bin/env python3
"""Latency against committed throughput, from civic-bench's JSON.

usage: tools/bench/plot-latency.py RESULTS_DIR OUT.png

One line per system (each devnet suite from load-SUITE.json, etcd from
etcd.json): a point per run at its committed (or put) rate, p50 solid and
p99 dashed, latency on a log scale.
"""
import glob
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    if len(sys.argv) != 3 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        sys.exit(0 if len(sys.argv) == 2 else 2)
    results, out = sys.argv[1], sys.argv[2]
    series = []
    for path in sorted(glob.glob(os.path.join(results, "load-*.json"))):
        report = json.load(open(path))
        runs = report["runs"]
        series.append((f"CivicLedger PBFT, {report['suite']} (4 nodes)",
                       [r["committedPerSecond"] for r in runs],
                       [r["latency"]["p50Millis"] for r in runs],
                       [r["latency"]["p99Millis"] for r in runs]))
    etcd = os.path.join(results, "etcd.json")
    if os.path.exists(etcd):
        runs = json.load(open(etcd))["runs"]
        series.append(("etcd Raft (3 members)", [r["putsPerSecond"] for r in runs],
                       [r["latency"]["p50Millis"] for r in runs], [r["latency"]["p99Millis"] for r in runs]))
    if not series:
        sys.exit(f"no load-*.json or etcd.json in {results}")
    figure, axes = plt.subplots(figsize=(8, 5))
    for index, (name, rate, p50, p99) in enumerate(series):
        colour = f"C{index}"
        order = sorted(range(len(rate)), key=lambda i: rate[i])
        axes.plot([rate[i] for i in order], [p50[i] for i in order], "o-", color=colour, label=f"{name} p50")
        axes.plot([rate[i] for i in order], [p99[i] for i in order], "s--", color=colour, label=f"{name} p99")
    axes.set_yscale("log")
    axes.set_xlabel("committed per second")
    axes.set_ylabel("submit → commit latency, ms")
    axes.set_title("Latency against throughput, all on one 2-core machine")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(out, dpi=110)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Medians and ratios of a scripts/bench run: one Markdown table on standard output."""
import json
import statistics
import sys

runs = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
machine = open(sys.argv[2]).read().strip() if len(sys.argv) > 2 else ""
memory = json.load(open(sys.argv[3])) if len(sys.argv) > 3 else None


def rps(run):
    return run.get("rps") or run.get("req_s") or 0.0


def valid(run):
    if "valid" in run:
        return bool(run["valid"])
    return run.get("non2xx", 0) == 0 and run.get("pool_exhausted", 0) == 0 and not any(
        run.get(k, 0) for k in ("err_connect", "err_read", "err_write", "err_timeout"))


print("```\n" + machine + "\n```\n")
print("| scenario | peer req/s (median) | Rotor req/s (median) | Rotor / peer | Rotor p50 / p99 ms | runs (peer; Rotor) | invalid runs |")
print("|---|---|---|---|---|---|---|")
for scenario in dict.fromkeys(r["scenario"] for r in runs):
    peer = [r for r in runs if r["scenario"] == scenario and r["server"] == "peer"]
    rotor = [r for r in runs if r["scenario"] == scenario and r["server"] == "rotor"]
    pm = statistics.median(rps(r) for r in peer) if peer else 0
    rm = statistics.median(rps(r) for r in rotor) if rotor else 0
    p50 = statistics.median(r.get("p50_ms", 0) for r in rotor) if rotor else 0
    p99 = statistics.median(r.get("p99_ms", 0) for r in rotor) if rotor else 0
    bad = sum(1 for r in peer + rotor if not valid(r))
    ratio = f"**{rm / pm:.1f}×**" if pm else "-"
    print(f"| {scenario} | {pm:.0f} | {rm:.0f} | {ratio} | {p50:.1f} / {p99:.1f} | "
          f"{', '.join(f'{rps(r):.0f}' for r in peer)}; {', '.join(f'{rps(r):.0f}' for r in rotor)} | {bad} |")
loads = [r.get("load1", 0) for r in runs]
print(f"\nLoad average (1 min) before the runs: {min(loads):.2f}–{max(loads):.2f}.")
if memory:
    print(f"\nRotor's memory after the runs, with {memory['live_sessions']:,} live sessions in the database: "
          f"RSS {memory['rss_mib']} MiB (peak {memory['peak_rss_mib']} MiB).")

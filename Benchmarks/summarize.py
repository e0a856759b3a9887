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
def median(rows, key=rps):
    return statistics.median(key(r) for r in rows) if rows else 0


def of(scenario, server):
    return [r for r in runs if r["scenario"] == scenario and r["server"] == server]


has_baseline = any(r["server"] == "baseline" for r in runs)
if has_baseline:
    # A change measured before (baseline: an older commit) and after (rotor: this one), both next to the peer.
    print("| scenario | peer req/s | baseline req/s | Rotor req/s | baseline / peer | Rotor / peer | Rotor / baseline "
          "| runs (peer; baseline; Rotor) | invalid runs |")
    print("|---|---|---|---|---|---|---|---|---|")
else:
    print("| scenario | peer req/s (median) | Rotor req/s (median) | Rotor / peer | Rotor p50 / p99 ms "
          "| runs (peer; Rotor) | invalid runs |")
    print("|---|---|---|---|---|---|---|")
for scenario in dict.fromkeys(r["scenario"] for r in runs):
    peer, base, rotor = of(scenario, "peer"), of(scenario, "baseline"), of(scenario, "rotor")
    pm, bm, rm = median(peer), median(base), median(rotor)
    bad = sum(1 for r in peer + base + rotor if not valid(r))
    listed = lambda rows: ", ".join(f"{rps(r):.0f}" for r in rows)
    ratio = lambda a, b: f"**{a / b:.2f}×**" if b else "-"
    if has_baseline:
        print(f"| {scenario} | {pm:.0f} | {bm:.0f} | {rm:.0f} | {ratio(bm, pm)} | {ratio(rm, pm)} | {ratio(rm, bm)} | "
              f"{listed(peer)}; {listed(base)}; {listed(rotor)} | {bad} |")
    else:
        p50, p99 = median(rotor, lambda r: r.get("p50_ms", 0)), median(rotor, lambda r: r.get("p99_ms", 0))
        print(f"| {scenario} | {pm:.0f} | {rm:.0f} | {ratio(rm, pm)} | {p50:.1f} / {p99:.1f} | "
              f"{listed(peer)}; {listed(rotor)} | {bad} |")
loads = [r.get("load1", 0) for r in runs]
print(f"\nLoad average (1 min) before the runs: {min(loads):.2f}–{max(loads):.2f}.")
if memory:
    print(f"\nRotor's memory after the runs, with {memory['live_sessions']:,} live sessions in the database: "
          f"RSS {memory['rss_mib']} MiB (peak {memory['peak_rss_mib']} MiB).")

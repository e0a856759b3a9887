#!/usr/bin/env python3
"""The summary of one scripts/bench-oauth run: medians of the valid runs, the ratios the issue holds Rotor to, and
the back-channel delivery. A run is invalid when any answer was not 2xx, its pool ran out, or a socket failed.

    summarize_oauth.py RESULTS_FOLDER
"""
import json
import statistics
import sys
from pathlib import Path

folder = Path(sys.argv[1])
runs = [json.loads(line) for line in (folder / "runs.jsonl").read_text().splitlines() if line.strip()]


def valid(run):
    return (run["non2xx"] == 0 and run["pool_exhausted"] == 0
            and run["err_connect"] + run["err_read"] + run["err_write"] + run["err_timeout"] == 0)


def rates(server, scenario):
    return [r["rps"] for r in runs if r["server"] == server and r["scenario"] == scenario and valid(r)]


def median(server, scenario):
    values = rates(server, scenario)
    return statistics.median(values) if values else None


def why(run):
    if run["first_bad"]:
        return run["first_bad"].split("\n")[0][:60]
    if run["pool_exhausted"]:
        return "pool exhausted"
    return (f"{run['err_timeout']} timeouts, {run['err_connect'] + run['err_read'] + run['err_write']} "
            "socket errors")


def invalid(server, scenario):
    return [r for r in runs if r["server"] == server and r["scenario"] == scenario and not valid(r)]


def server_of(run):
    return "DOT: " if run["server"] == "dot" else "Rotor: "


print("```")
print((folder / "machine.txt").read_text().rstrip())
print("```\n")
print("| scenario | DOT req/s | Rotor req/s | Rotor / DOT | runs (DOT; Rotor) | Rotor p50 / p99 ms | invalid runs |")
print("|---|---|---|---|---|---|---|")
for scenario in ["code", "code-oauth", "client-refresh", "refresh", "machine", "machine-pool"]:
    dot, rotor = median("dot", scenario), median("rotor", scenario)
    ratio = f"**{rotor / dot:.1f}×**" if dot and rotor else "–"
    latencies = [r for r in runs if r["server"] == "rotor" and r["scenario"] == scenario and valid(r)]
    p = (f"{statistics.median(r['p50_ms'] for r in latencies):.1f} / {statistics.median(r['p99_ms'] for r in latencies):.1f}"
         if latencies else "–")
    bad = invalid("dot", scenario) + invalid("rotor", scenario)
    print(f"| {scenario} | {dot and round(dot) or '–'} | {rotor and round(rotor) or '–'} | {ratio} | "
          f"{', '.join(str(round(x)) for x in rates('dot', scenario)) or '–'}; "
          f"{', '.join(str(round(x)) for x in rates('rotor', scenario))} | {p} | "
          f"{len(bad)}{' (' + server_of(bad[0]) + why(bad[0]) + ')' if bad else ''} |")
plain, client = median("rotor", "refresh"), median("rotor", "client-refresh")
if plain and client:
    pairs = {}
    for r in runs:
        if r["server"] == "rotor" and r["scenario"] in ("refresh", "client-refresh") and valid(r):
            pairs.setdefault(r["rep"], {})[r["scenario"]] = r["rps"]
    per_rep = [f"{p['client-refresh'] / p['refresh']:.2f}" for _, p in sorted(pairs.items()) if len(p) == 2]
    print(f"\nA client session's refresh (/oauth/token, client_secret_basic) against a plain refresh "
          f"(/v1/auth/token/refresh): **{client / plain:.2f}×** of the medians; per repetition {', '.join(per_rep)}.")
loads = [r["load1"] for r in runs]
print(f"\nLoad average (1 min) before the runs: {min(loads):.2f}–{max(loads):.2f}.")
backchannel = folder / "backchannel.json"
if backchannel.exists():
    b = json.loads(backchannel.read_text())
    print(f"\nBack-channel logout: {b['sessions']} sessions of one app ended by one sign-out-everywhere; "
          f"{b['delivered']} logout tokens delivered ({b['distinct']} distinct), the first after {b['first_s']} s, "
          f"the last after **{b['last_s']} s**.")

"""The error of reduced time horizons (representative days, 3-hourly) against the full hourly year, as a Markdown
table for bench.md."""
from __future__ import annotations

import json
from pathlib import Path


def error_table(reference: Path, runs: dict[str, Path]) -> str:
    """Markdown table: each reduced run against the full-year reference (objective, capacity per technology,
    curtailment, storage discharge, time)."""
    import pandas as pd

    def load(d: Path):
        summ = pd.read_csv(d / "summary.csv").set_index("metric")["value"]
        cap = pd.read_csv(d / "capacity.csv")
        cap = cap[cap["kind"] == "power"].groupby("technology")["total"].sum()
        energy = pd.read_csv(d / "energy.csv")
        dis = energy[energy["quantity"] == "storage_discharge"]["value"].sum()
        man = json.loads((d / "manifest.json").read_text())
        return summ, cap, dis, man

    ref_s, ref_cap, ref_dis, ref_m = load(reference)
    major = [t for t, v in ref_cap.items() if v > 1000.0 and t != "nonrenewable_supply"]
    head = ["run", "snapshots", "objective error"] + [f"{t} error" for t in major] + ["curtailment (TWh) ref " + f"{ref_s['curtailment'] / 1e6:.2f}", "storage discharge (TWh) ref " + f"{ref_dis / 1e6:.2f}", "solve s", "total s"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, d in runs.items():
        s, cap, dis, m = load(d)
        row = [name, str(m["snapshots"]["count"]), f"{(s['objective'] / ref_s['objective'] - 1) * 100:+.2f} %"]
        row += [f"{(cap.get(t, 0.0) / ref_cap[t] - 1) * 100:+.1f} %" for t in major]
        row += [f"{s['curtailment'] / 1e6:.2f}", f"{dis / 1e6:.2f}", f"{m['timings_s'].get('solve', 0):.1f}", f"{m['timings_s'].get('total', 0):.1f}"]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"

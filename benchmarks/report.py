"""Write the README's ``## Performance`` section from ``benchmarks/results.json``.

    .venv/bin/python benchmarks/report.py [--results benchmarks/results.json] [--readme README.md]

Only the last section of README.md, headed ``## Performance``, is replaced (or appended
when absent); everything before it is left byte for byte. The table and the machine come
from the JSON; the findings under it come from ``benchmarks/findings.md``.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEAD = "## Performance"


def fmt(m: dict) -> str:
    v = m["value"]
    if v is None:
        return "—"
    if m["unit"] == "×":
        return f"{v:.1f}×"
    if m["unit"] == "ms":
        return f"{v:.0f} ms" if v >= 100 else f"{v:.1f} ms"
    if m["unit"] == "MB":
        return f"{v:.0f} MB"
    if m["unit"] == "":
        return f"{v:,.0f}"
    return f"{v:.2f} s" if v < 10 else f"{v:.1f} s"


STATUS = {"pass": "✅ pass", "MISS": "❌ **miss**", "info": "", "skipped": "skipped", "error": "error"}


def section(doc: dict, findings: str) -> str:
    m = doc["machine"]
    lines = [HEAD, ""]
    lines.append(f"Measured by `benchmarks/run.py` on a generated database of **{doc['size']:,} cases** "
                 f"(with their audit events, 200 units with Annex 1/2, 300 issued reply letters), "
                 f"{doc['generated'][:10]}, gkdesk `{m.get('gkdesk_commit', '?')}`. Each figure is the "
                 "median of several runs (the note in `benchmarks/results.json` says how many); GUI "
                 "figures come from fresh processes under `QT_QPA_PLATFORM=offscreen`.")
    lines.append("")
    lines.append("| what | value | target | |")
    lines.append("|---|---:|---|---|")
    for x in doc["metrics"]:
        target = x["target"].replace("≤", "≤ ").replace("≥", "≥ ").replace("  ", " ")
        lines.append(f"| {x['label']} | {fmt(x)} | {target} | {STATUS.get(x['status'], x['status'])} |")
    lines.append("")
    la = doc.get("load_average", {})
    runs = doc.get("runs") or {}
    lines.append(f"**Machine**: {m.get('nproc')} CPUs ({m.get('cpu', '?')}), {m.get('ram_gb', '?')} GB RAM, "
                 f"{m.get('os', m.get('platform', ''))}; Python {m.get('python')}, PySide6 {m.get('pyside6')} "
                 f"(Qt {m.get('qt')}), SQLite {m.get('sqlite')}, peewee {m.get('peewee')}, reportlab "
                 f"{m.get('reportlab')}, openpyxl {m.get('openpyxl')}, {m.get('libreoffice')}. "
                 + (f"Load average {la['start'][0]:.1f} at the start and {la['end'][0]:.1f} at the end"
                    + (f" (the run used `--nice {doc['nice']}`)" if doc.get("nice") is not None else "") + "."
                    if la else ""))
    lines.append("")
    minutes = "about 30 minutes for every group" if len({(r or {}).get("generated") for r in runs.values()}) > 1 \
        else f"{doc['wall_s'] / 60:.0f} minutes"
    lines.append(f"**Reproduce**: `.venv/bin/python benchmarks/run.py` ({minutes} here; the 100,000-case "
                 "database is generated once (35 s here) and cached in `$GKDESK_BENCH_DIR`, default "
                 "`/tmp/gkdesk-bench`), then `.venv/bin/python benchmarks/report.py` to rewrite this section. "
                 "`--smoke` runs everything at 2,000 cases in under a minute (CI runs it: "
                 "`tests/benchmarks/test_smoke.py`, no timing asserted). `--only letters stall --merge` runs some groups and keeps the other groups' figures.")
    lines.append("")
    others = {}
    for group, r in runs.items():
        if r and r.get("generated") != doc.get("run_started", doc["generated"]):
            others.setdefault((r.get("generated") or "?", r.get("commit") or "?", r.get("load_average_start")),
                              []).append(group)
    if others:
        parts = [f"{', '.join(gs)} from the run of {when[:16].replace('T', ' ')} UTC (gkdesk `{commit}`"
                 + (f", load average {la0:.1f} at its start)" if la0 is not None else ")")
                 for (when, commit, la0), gs in sorted(others.items())]
        lines.append("**Groups from earlier runs** (`run.py --only … --merge` keeps them): " + "; ".join(parts) + ".")
        lines.append("")
    if findings.strip():
        lines.append(findings.strip())
        lines.append("")
    return "\n".join(lines)


def replace_section(readme: str, new: str) -> str:
    idx = readme.find("\n" + HEAD + "\n")
    if idx == -1:
        return readme.rstrip("\n") + "\n\n" + new
    return readme[: idx + 1] + new


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", type=Path, default=HERE / "results.json")
    ap.add_argument("--readme", type=Path, default=HERE.parent / "README.md")
    ap.add_argument("--findings", type=Path, default=HERE / "findings.md")
    args = ap.parse_args(argv)
    doc = json.loads(args.results.read_text(encoding="utf-8"))
    findings = args.findings.read_text(encoding="utf-8") if args.findings.exists() else ""
    text = args.readme.read_text(encoding="utf-8")
    args.readme.write_text(replace_section(text, section(doc, findings)), encoding="utf-8")
    print(f"wrote {HEAD} of {args.readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

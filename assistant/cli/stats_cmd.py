"""``assistant stats``: time and energy per request by stage, for a session or a benchmark run."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.stats_log import RequestRecord, latest_session, read_requests


def register(commands: Any) -> None:
    parser = commands.add_parser("stats", help="time and energy per request by stage", description=__doc__)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--session", help="a session id (default: the most recent session)")
    which.add_argument("--all", action="store_true", help="the most recent requests of all sessions")
    which.add_argument("--from", dest="source", type=Path, metavar="JSON",
                       help="a benchmark result (benchmarks/results/nlu.json)")
    parser.add_argument("--last", type=int, default=500, help="at most this many requests")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=run)


def summarise(records: Sequence[RequestRecord]) -> dict[str, Any]:
    stages: dict[str, dict[str, Any]] = {}
    for name in dict.fromkeys(k for r in records for k in r.stages_ms):
        times = [r.stages_ms[name] for r in records if name in r.stages_ms]
        joules = [r.stages_j[name] for r in records if name in r.stages_j]
        stages[name] = {"p50_ms": float(np.percentile(times, 50)), "p95_ms": float(np.percentile(times, 95)),
                        "mean_mj": statistics.fmean(joules) * 1000 if joules else None, "requests": len(times)}
    figures = [r.energy_j for r in records if r.energy_j is not None]
    sources = sorted({r.energy_source for r in records if r.energy_source})
    notes = [r.energy_note for r in records if r.energy_note]
    return {
        "requests": len(records), "stages": stages,
        "energy": {"source": ", ".join(sources) or None, "note": notes[-1] if notes else None,
                   "measured_requests": len(figures),
                   "mean_mj": statistics.fmean(figures) * 1000 if figures else None,
                   "spread_mj": statistics.stdev(figures) * 1000 if len(figures) > 1 else None},
    }


def run(args: argparse.Namespace) -> int:
    if args.source is not None:
        return _benchmark(args.source, args.json)
    from assistant.paths import data_dir

    path = data_dir() / "stats.sqlite3"
    session = None if args.all else (args.session or latest_session(path))
    records = read_requests(path, session, args.last)
    if not records:
        print("No requests recorded yet. Ask something first (assistant ask, chat or the window).")
        return 0
    summary = summarise(records)
    if args.json:
        print(json.dumps({"session": session, **summary}, indent=2))
        return 0
    print(f"{summary['requests']} requests" + (f" of session {session}" if session else " (all sessions)"))
    print(f"{'stage':<12}{'p50 ms':>9}{'p95 ms':>9}{'energy mJ':>11}")
    for name, row in summary["stages"].items():
        energy = f"{row['mean_mj']:.2f}" if row["mean_mj"] is not None else "—"
        print(f"{name:<12}{row['p50_ms']:>9.2f}{row['p95_ms']:>9.2f}{energy:>11}")
    energy = summary["energy"]
    if energy["mean_mj"] is not None:
        spread = f" ± {energy['spread_mj']:.2f}" if energy["spread_mj"] is not None else ""
        print(f"energy per request: {energy['mean_mj']:.2f}{spread} mJ over {energy['measured_requests']} requests "
              f"(source: {energy['source']})")
    if energy["note"]:
        print(f"source: {energy['note']}")
    return 0


def _benchmark(path: Path, as_json: bool) -> int:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        print(f"error: cannot read {path}: {exc}", file=sys.stderr)
        return 2
    rows = data.get("energy_per_request")
    if not isinstance(rows, list):
        print(f"error: {path} has no energy_per_request table (is it benchmarks/results/nlu.json?)", file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"{path} (measured {data.get('measured', '?')}, energy source: {data.get('energy_source', '?')})")
    print(f"{'model':<32}{'seq':>5}{'p50 ms':>9}{'mJ/request':>12}")
    for row in rows:
        print(f"{row['model']:<32}{row['sequence']:>5}{row['p50_ms']:>9.2f}{row['mj_per_request']:>12.2f}")
    return 0

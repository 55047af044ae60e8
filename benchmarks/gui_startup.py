"""How fast the desktop app starts: window on screen, and first reply, after launching `assistant gui`.

    python -m benchmarks.gui_startup [--runs 7] [--platform xcb|offscreen]

Each run is a new process of the real `assistant gui` command with a throw-away data folder.
With ``ASSISTANT_GUI_PROBE`` set the app prints timestamps (ui/probe.py): ``shown`` once the first
frame is on screen, ``ready`` when the language model is open, ``reply`` when the answer to a
request typed at that moment arrives. Times count from just before the process is started, so
they include the interpreter, imports, Qt and the model. Under xcb the script starts its own
Xvfb when there is no display. Goals (issue 4): window shown <= 1.5 s, first reply <= 2 s.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import table, write_result

GOAL_SHOWN_S = 1.5
GOAL_REPLY_S = 2.0
REQUEST = "what time is it"


def command() -> list[str]:
    script = Path(sys.executable).parent / "assistant"
    return [str(script), "gui"] if script.is_file() else [sys.executable, "-m", "assistant", "gui"]


def one_run(platform: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="assistant-startup-") as home:
        env = {**os.environ, "ASSISTANT_HOME": home, "QT_QPA_PLATFORM": platform, "ASSISTANT_GUI_PROBE": "1",
               "ASSISTANT_GUI_PROBE_ASK": REQUEST, "ASSISTANT_GUI_PROBE_EXIT": "1"}
        started = time.time()
        done = subprocess.run(command(), env=env, capture_output=True, text=True, timeout=120, check=False)
    events: dict[str, float] = {}
    for line in done.stdout.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and "event" in record:
            events.setdefault(record["event"], record["t"] - started)
    if done.returncode != 0 or not {"shown", "ready", "reply"} <= set(events):
        raise SystemExit(f"`assistant gui` did not report start-up (status {done.returncode}):\n{done.stderr[-2000:]}")
    return {name: round(events[name], 3) for name in ("shown", "ready", "reply")}


def summarise(runs: list[dict[str, float]]) -> dict[str, dict[str, float]]:
    return {name: {"median_s": round(statistics.median(r[name] for r in runs), 3),
                   "min_s": round(min(r[name] for r in runs), 3), "max_s": round(max(r[name] for r in runs), 3)}
            for name in ("shown", "ready", "reply")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--platform", choices=("xcb", "offscreen"),
                        default="xcb" if shutil.which("Xvfb") or os.environ.get("DISPLAY") else "offscreen")
    args = parser.parse_args(argv)
    from ui.screenshot import display

    with display() if args.platform == "xcb" else contextlib.nullcontext():
        one_run(args.platform)  # warm the OS file cache; not counted
        runs = [one_run(args.platform) for _ in range(args.runs)]
    summary = summarise(runs)
    print(f"`assistant gui`, {args.runs} launches ({args.platform}), seconds from process start:")
    print(table(["event", "median", "min", "max"],
                [(name, s["median_s"], s["min_s"], s["max_s"]) for name, s in summary.items()]))
    shown, reply = summary["shown"]["median_s"], summary["reply"]["median_s"]
    print(f"\nwindow shown {shown:.2f} s (goal <= {GOAL_SHOWN_S} s: {'met' if shown <= GOAL_SHOWN_S else 'MISSED'}); "
          f"first reply {reply:.2f} s (goal <= {GOAL_REPLY_S} s: {'met' if reply <= GOAL_REPLY_S else 'MISSED'})")
    payload: dict[str, Any] = {"platform": args.platform, "request": REQUEST, "runs": runs, "summary": summary,
                               "goals": {"shown_s": GOAL_SHOWN_S, "first_reply_s": GOAL_REPLY_S},
                               "load_average": os.getloadavg()}
    print(f"wrote {write_result('gui_startup', payload)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

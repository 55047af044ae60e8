"""Text-to-reply latency of a warm engine per stage, cold `assistant ask` wall time, and peak memory.

    python -m benchmarks.latency [--requests 400] [--cold-runs 10]

Warm: one engine answers 10-word requests (real handlers, a throw-away data directory) and every
stage is timed with the monotonic nanosecond clock. Cold: the whole `assistant ask` command is
started as a new process, as a user or a script would. Peak RSS is the largest resident set of
those processes. Goals (issue 2): warm total p50 <= 3 ms on 2 cores, cold ask <= 1.5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from assistant.engine import Assistant, Options
from benchmarks.common import percentiles, table, write_result

REQUESTS = [  # ten words each
    "please set a timer for eight minutes for the pasta",
    "what time is it right now over in new york",
    "could you take a note that says buy more milk",
    "how much time is left on my pasta timer now",
    "hey assistant can you tell me the date next friday",
    "cancel the tea timer that i started a while ago",
    "read me all of the notes that i took today",
    "start a timer of twenty minutes for the laundry please",
    "what is the time in tokyo at the moment please",
    "thanks a lot for the help with that one today",
]
GOAL_WARM_P50_MS = 3.0
GOAL_COLD_S = 1.5


def warm(n: int) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as home:
        assistant = Assistant.open(Options(data_dir=Path(home), run_scheduler=False, user_plugins=False))
        for text in REQUESTS * 3:  # warm-up: imports, first-call allocations
            assistant.handle(text)
        per_stage: dict[str, list[float]] = {}
        for i in range(n):
            turn = assistant.handle(REQUESTS[i % len(REQUESTS)])
            for stage, ms in turn.timings_ms().items():
                per_stage.setdefault(stage, []).append(ms)
        assistant.close()
    return {stage: percentiles(values) for stage, values in per_stage.items()}


def cold(runs: int) -> dict[str, float]:
    walls, rss = [], []
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "ASSISTANT_HOME": home}
        command = [sys.executable, "-m", "assistant", "ask", "what time is it"]
        for _ in range(runs + 1):
            start = time.perf_counter()
            process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(process.pid, 0)
            walls.append(time.perf_counter() - start)
            rss.append(usage.ru_maxrss / 1024)
            if status != 0:
                raise SystemExit(f"`assistant ask` failed with status {status}")
    walls, rss = walls[1:], rss[1:]  # the first run fills the OS file cache
    return {"median_s": round(statistics.median(walls), 3), "max_s": round(max(walls), 3), "runs": runs,
            "peak_rss_mb": round(max(rss), 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--cold-runs", type=int, default=10)
    args = parser.parse_args(argv)
    stages = warm(args.requests)
    cold_ask = cold(args.cold_runs)
    rows = [(stage, v["p50"], v["p90"], v["p99"]) for stage, v in stages.items()]
    print(f"Warm engine, {args.requests} ten-word requests (ms):")
    print(table(["stage", "p50", "p90", "p99"], rows))
    total = stages["total"]["p50"]
    print(f"\nwarm total p50 {total:.2f} ms (goal <= {GOAL_WARM_P50_MS} ms): "
          f"{'met' if total <= GOAL_WARM_P50_MS else 'MISSED'}")
    print(f"cold `assistant ask`: median {cold_ask['median_s']:.2f} s over {cold_ask['runs']} runs "
          f"(goal <= {GOAL_COLD_S} s: {'met' if cold_ask['median_s'] <= GOAL_COLD_S else 'MISSED'}), "
          f"peak RSS {cold_ask['peak_rss_mb']:.0f} MB")
    path = write_result("latency", {"warm_ms": stages, "cold_ask": cold_ask,
                                    "goals": {"warm_total_p50_ms": GOAL_WARM_P50_MS, "cold_ask_s": GOAL_COLD_S}})
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

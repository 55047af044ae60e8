"""Shared bits of the benchmark scripts: percentiles, machine facts, writing results."""

from __future__ import annotations

import argparse
import json
import os
import platform
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results"


def interleaved_timing_args(doc: str | None, argv: list[str] | None, rounds: int, unit: str) -> argparse.Namespace:
    """The options of the benchmarks that time variants side by side in shuffled rounds; sets torch's threads."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=rounds)
    parser.add_argument("--steps", type=int, default=4, help=f"{unit} of each variant per round")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(args.threads)
    return args


def percentiles(values_ms: Sequence[float]) -> dict[str, float]:
    data = np.asarray(values_ms, dtype=float)
    return {"p50": round(float(np.percentile(data, 50)), 4), "p90": round(float(np.percentile(data, 90)), 4),
            "p99": round(float(np.percentile(data, 99)), 4), "n": int(data.size)}


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = []
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "system": platform.platform(),
            "load_average_1_5_15_min": load, "int8_extensions": cpu_flags()}


def cpu_flags() -> list[str]:
    """The CPU's integer dot-product extensions: VNNI computes u8 x s8 exactly, AVX2 alone saturates."""
    from assistant.nlu.int8_kernels import int8_extensions

    return sorted(int8_extensions())


def write_result(name: str, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {"measured": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine(), **payload}
    path.write_text(json.dumps(payload, indent=2) + "\n")
    return path


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[str(h) for h in headers]] + [[f"{c:.3f}" if isinstance(c, float) else str(c) for c in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "-|-".join("-" * w for w in widths))
    return "\n".join(lines)


def replace_section(doc: Path, name: str, section: str, title: str) -> None:
    """Put ``section`` between the ``<!-- NAME-results:start/end -->`` marks of ``doc``.

    The prose around the marks is written by hand and kept; a missing file gets ``title`` and the marks.
    """
    start, end = f"<!-- {name}-results:start -->", f"<!-- {name}-results:end -->"
    text = doc.read_text() if doc.is_file() else f"# {title}\n\n{start}\n{end}\n"
    block = f"{start}\n{section}\n{end}"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text += "\n" + block + "\n"
    doc.write_text(text)

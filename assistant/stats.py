"""Rolling latency and energy statistics over the session's recent requests."""

from __future__ import annotations

import statistics
import threading
from collections import deque
from dataclasses import dataclass

import numpy as np

from assistant.results import Energy, Stage, StageTiming


@dataclass(frozen=True)
class EnergySummary:
    source: str
    requests: int
    """Requests with a per-request figure."""
    mean_j: float | None
    spread_j: float | None
    by_stage_j: dict[str, float]
    """Mean energy per stage, over the requests that had per-stage figures."""


class StatsRecorder:
    def __init__(self, window: int = 200) -> None:
        self._recent: deque[tuple[tuple[StageTiming, ...], Energy | None]] = deque(maxlen=window)
        self._lock = threading.Lock()

    def record(self, timings: tuple[StageTiming, ...], energy: Energy | None = None) -> None:
        if timings:
            with self._lock:
                self._recent.append((timings, energy))

    def __len__(self) -> int:
        return len(self._recent)

    def _snapshot(self) -> list[tuple[tuple[StageTiming, ...], Energy | None]]:
        with self._lock:
            return list(self._recent)

    def stage_percentiles(self) -> dict[str, tuple[float, float, int]]:
        """Stage -> (p50 ms, p95 ms, samples), in pipeline order."""
        by_stage: dict[Stage, list[float]] = {}
        for timings, _ in self._snapshot():
            for t in timings:
                by_stage.setdefault(t.stage, []).append(t.ms)
        order = list(Stage)
        return {
            stage.value: (float(np.percentile(v, 50)), float(np.percentile(v, 95)), len(v))
            for stage, v in sorted(by_stage.items(), key=lambda kv: order.index(kv[0]))
        }

    def energy_summary(self) -> EnergySummary | None:
        recent = [(t, e) for t, e in self._snapshot() if e is not None]
        if not recent:
            return None
        figures = [e.joules for _, e in recent if e.joules is not None]
        by_stage: dict[str, list[float]] = {}
        for timings, _ in recent:
            for t in timings:
                if t.joules is not None:
                    by_stage.setdefault(t.stage.value, []).append(t.joules)
        return EnergySummary(
            source=recent[-1][1].source if recent[-1][1] is not None else "",
            requests=len(figures),
            mean_j=statistics.fmean(figures) if figures else None,
            spread_j=statistics.stdev(figures) if len(figures) > 1 else None,
            by_stage_j={stage: statistics.fmean(v) for stage, v in by_stage.items()},
        )

"""Rolling latency statistics over the session's recent requests."""

from __future__ import annotations

import threading
from collections import deque

import numpy as np

from assistant.results import Stage, StageTiming


class StatsRecorder:
    def __init__(self, window: int = 200) -> None:
        self._recent: deque[tuple[StageTiming, ...]] = deque(maxlen=window)
        self._lock = threading.Lock()

    def record(self, timings: tuple[StageTiming, ...]) -> None:
        if timings:
            with self._lock:
                self._recent.append(timings)

    def __len__(self) -> int:
        return len(self._recent)

    def stage_percentiles(self) -> dict[str, tuple[float, float, int]]:
        """Stage -> (p50 ms, p95 ms, samples), in pipeline order."""
        with self._lock:
            recent = list(self._recent)
        by_stage: dict[Stage, list[float]] = {}
        for timings in recent:
            for t in timings:
                by_stage.setdefault(t.stage, []).append(t.ms)
        order = list(Stage)
        return {
            stage.value: (float(np.percentile(v, 50)), float(np.percentile(v, 95)), len(v))
            for stage, v in sorted(by_stage.items(), key=lambda kv: order.index(kv[0]))
        }

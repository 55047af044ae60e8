"""Per-stage timing of one request with the monotonic nanosecond clock."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from assistant.results import Stage, StageTiming


class StageClock:
    """Collects how long each stage of one request took; stages may repeat and are summed."""

    def __init__(self, started_ns: int | None = None) -> None:
        """``started_ns`` (a ``perf_counter_ns`` reading) backdates the total, e.g. to the end of speech."""
        self._ns: dict[Stage, int] = {}
        self._started = time.perf_counter_ns() if started_ns is None else started_ns

    @contextmanager
    def measure(self, stage: Stage) -> Iterator[None]:
        start = time.perf_counter_ns()
        try:
            yield
        finally:
            self.add(stage, time.perf_counter_ns() - start)

    def add(self, stage: Stage, ns: int) -> None:
        self._ns[stage] = self._ns.get(stage, 0) + ns

    def timings(self, include_total: bool = True) -> tuple[StageTiming, ...]:
        order = list(Stage)
        stages = [StageTiming(s, self._ns[s]) for s in sorted(self._ns, key=order.index) if s is not Stage.TOTAL]
        if include_total:
            total = self._ns.get(Stage.TOTAL, time.perf_counter_ns() - self._started)
            stages.append(StageTiming(Stage.TOTAL, total))
        return tuple(stages)

"""Per-stage timing (monotonic nanosecond clock) and, with a meter attached, energy of one request."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from assistant.results import Energy, Stage, StageTiming

if TYPE_CHECKING:
    from assistant.energy.meter import EnergyMeter


class StageClock:
    """Collects how long (and how much energy) each stage of one request took; repeated stages add up."""

    def __init__(self, started_ns: int | None = None, meter: EnergyMeter | None = None) -> None:
        """``started_ns`` (a ``perf_counter_ns`` reading) backdates the total, e.g. to the end of speech."""
        self._ns: dict[Stage, int] = {}
        self._joules: dict[Stage, float] = {}
        self._started = time.perf_counter_ns() if started_ns is None else started_ns
        self._meter = meter
        self._start_j = meter.reading() if meter is not None else 0.0
        self._start_s = time.monotonic()

    @contextmanager
    def measure(self, stage: Stage) -> Iterator[None]:
        meter = self._meter
        start_j = meter.reading() if meter is not None else 0.0
        start = time.perf_counter_ns()
        try:
            yield
        finally:
            self.add(stage, time.perf_counter_ns() - start)
            if meter is not None:
                self._joules[stage] = self._joules.get(stage, 0.0) + meter.reading() - start_j

    def add(self, stage: Stage, ns: int, joules: float | None = None) -> None:
        self._ns[stage] = self._ns.get(stage, 0) + ns
        if joules is not None:
            self._joules[stage] = self._joules.get(stage, 0.0) + joules

    def timings(self, include_total: bool = True) -> tuple[StageTiming, ...]:
        order = list(Stage)
        stages = [StageTiming(s, self._ns[s], self._joules.get(s))
                  for s in sorted(self._ns, key=order.index) if s is not Stage.TOTAL]
        if include_total:
            total = self._ns.get(Stage.TOTAL, time.perf_counter_ns() - self._started)
            stages.append(StageTiming(Stage.TOTAL, total))
        return tuple(stages)

    def energy(self) -> Energy | None:
        """The whole request's energy from the attached meter (None without one)."""
        if self._meter is None:
            return None
        return self._meter.request(self._start_j, self._meter.reading(), self._start_s, time.monotonic())

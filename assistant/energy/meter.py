"""Choosing an energy source and turning counter readings into energy per request.

Measured sources (RAPL, battery) count the whole machine, so a request's energy is the increment
over idle: the counter's rise minus idle power x the request's duration, with idle power learnt
from the gaps between requests. They update about once a millisecond, so a request of a few
milliseconds is below their resolution: such requests get no single figure; the session's
aggregate (mean and spread over many requests) stands instead.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from pathlib import Path

from assistant.energy.cpu_power import watts_per_core
from assistant.energy.sources import (
    POWER_SUPPLY,
    POWERCAP,
    BatterySource,
    EnergySource,
    EstimateSource,
    RaplSource,
    batteries,
    rapl_domains,
)
from assistant.results import Energy

MIN_MEASURED_S = 0.05
"""Shorter windows are below what RAPL and battery meters resolve."""
IDLE_GAP_S = 0.5
"""A quiet gap at least this long between requests updates the idle power estimate."""


@dataclass(frozen=True)
class Aggregate:
    requests: int
    mean_j: float
    spread_j: float
    """Standard deviation of the per-request figures."""


class EnergyMeter:
    def __init__(self, source: EnergySource, note: str = "") -> None:
        self.source = source
        self.note = note
        """Why the meter is not measuring, when it could with a system setting (shown to the user)."""
        self._lock = threading.Lock()
        self._idle_w: float | None = None
        self._last_end: tuple[float, float] | None = None  # (joules, monotonic seconds)
        self._short: list[float] = []

    @classmethod
    def auto(cls, powercap: Path = POWERCAP, power_supply: Path = POWER_SUPPLY,
             watts: float | None = None, cpu: str | None = None) -> EnergyMeter:
        """RAPL when readable, else the battery while discharging, else the CPU-time estimate."""
        domains, reason = rapl_domains(powercap)
        if domains:
            return cls(RaplSource(domains))
        for battery in batteries(power_supply):
            source = BatterySource(battery)
            if source.discharging():
                return cls(source, reason or "")
        per_core, basis = watts_per_core(cpu, watts)
        return cls(EstimateSource(per_core, basis), reason or "")

    @property
    def measured(self) -> bool:
        return self.source.measured

    def reading(self) -> float:
        return self.source.joules()

    def request(self, start_j: float, end_j: float, start_s: float, end_s: float) -> Energy:
        """The energy of one request from counter readings at its start and end."""
        seconds = max(0.0, end_s - start_s)
        raw = max(0.0, end_j - start_j)
        if not self.source.measured:
            return Energy(raw, self.source.name, self.source.description)
        with self._lock:
            if self._last_end is not None and start_s - self._last_end[1] >= IDLE_GAP_S:
                gap_w = (start_j - self._last_end[0]) / (start_s - self._last_end[1])
                self._idle_w = gap_w if self._idle_w is None else 0.8 * self._idle_w + 0.2 * gap_w
            self._last_end = (end_j, end_s)
            idle = self._idle_w or 0.0
            increment = max(0.0, raw - idle * seconds)
            if seconds < MIN_MEASURED_S:
                self._short.append(increment)
                return Energy(None, self.source.name,
                              f"{seconds * 1000:.1f} ms is below the {self.source.name} meter's resolution; "
                              "see the session average")
        return Energy(increment, self.source.name, f"increment over {idle:.1f} W idle, {self.source.description}")

    def short_requests(self) -> Aggregate | None:
        """Mean and spread of the requests too short to measure one by one."""
        with self._lock:
            values = list(self._short)
        if len(values) < 2:
            return None
        mean = sum(values) / len(values)
        spread = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))
        return Aggregate(len(values), mean, spread)

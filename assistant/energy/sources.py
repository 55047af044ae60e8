"""Where energy figures come from. Each source reads a cumulative energy counter in joules.

- :class:`RaplSource`: Linux powercap RAPL counters (package and DRAM domains), measured. The
  counters wrap at ``max_energy_range_uj``; reads handle the wrap. Since 2020 (CVE-2020-8694)
  ``energy_uj`` is readable by root only on most distributions.
- :class:`BatterySource`: the battery's discharge power (``power_now``, or current x voltage),
  integrated over time, measured, and only meaningful while discharging.
- :class:`EstimateSource`: this process's CPU time x a per-core power figure, an estimate.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

POWERCAP = Path("/sys/class/powercap")
POWER_SUPPLY = Path("/sys/class/power_supply")

RAPL_PERMISSION_HINT = ("sudo chmod a+r /sys/class/powercap/intel-rapl:*/energy_uj "
                        "/sys/class/powercap/intel-rapl:*/*/energy_uj")


class EnergySource(Protocol):
    name: str
    """'rapl', 'battery' or 'estimate' (what JSON and the UI show as the source)."""
    measured: bool
    description: str

    def joules(self) -> float:
        """Energy counted since the source was opened (monotonic)."""
        ...


@dataclass(frozen=True)
class RaplDomain:
    name: str
    energy_file: Path
    max_range_uj: int


def _read_int(path: Path) -> int:
    return int(path.read_text().strip())


def rapl_domains(root: Path = POWERCAP) -> tuple[list[RaplDomain], str | None]:
    """The top-level package domains and DRAM domains (``core``/``uncore`` are inside the package).

    Returns the domains that can be read and, when some exist but cannot be read, why.
    """
    if not root.is_dir():
        return [], None
    candidates = []
    for zone in sorted(root.glob("intel-rapl:*")):
        if zone.name.count(":") == 1:  # top level: package-N
            candidates.append(zone)
            candidates += [sub for sub in sorted(zone.glob("intel-rapl:*:*"))
                           if (sub / "name").is_file() and (sub / "name").read_text().strip() == "dram"]
    domains, unreadable = [], []
    for zone in candidates:
        try:
            name = (zone / "name").read_text().strip()
            max_range = _read_int(zone / "max_energy_range_uj")
            _read_int(zone / "energy_uj")
        except PermissionError:
            unreadable.append(zone.name)
            continue
        except (OSError, ValueError):
            continue
        domains.append(RaplDomain(name, zone / "energy_uj", max_range))
    reason = None
    if unreadable and not domains:
        reason = ("RAPL energy counters exist but only root may read them (a 2020 security fix). "
                  f"To allow measurements until the next boot: {RAPL_PERMISSION_HINT}")
    return domains, reason


class RaplSource:
    name = "rapl"
    measured = True

    def __init__(self, domains: list[RaplDomain]) -> None:
        if not domains:
            raise ValueError("no RAPL domains")
        self._domains = domains
        self._fds = [os.open(d.energy_file, os.O_RDONLY) for d in domains]
        self._last = [self._raw(i) for i in range(len(domains))]
        self._total_uj = 0
        self._lock = threading.Lock()
        self.description = "RAPL " + " + ".join(d.name for d in domains) + " (measured)"

    def _raw(self, index: int) -> int:
        return int(os.pread(self._fds[index], 32, 0).strip())

    def joules(self) -> float:
        with self._lock:
            for i, domain in enumerate(self._domains):
                now = self._raw(i)
                delta = now - self._last[i]
                if delta < 0:  # the counter wrapped
                    delta += domain.max_range_uj + 1
                self._total_uj += delta
                self._last[i] = now
            return self._total_uj / 1e6

    def close(self) -> None:
        for fd in self._fds:
            os.close(fd)


@dataclass(frozen=True)
class Battery:
    folder: Path

    def status(self) -> str:
        try:
            return (self.folder / "status").read_text().strip()
        except OSError:
            return "Unknown"

    def power_w(self) -> float | None:
        """Discharge power in watts from ``power_now`` (µW) or ``current_now`` (µA) x ``voltage_now`` (µV)."""
        try:
            if (self.folder / "power_now").is_file():
                return abs(_read_int(self.folder / "power_now")) / 1e6
            current = abs(_read_int(self.folder / "current_now")) / 1e6
            voltage = abs(_read_int(self.folder / "voltage_now")) / 1e6
            return current * voltage
        except (OSError, ValueError):
            return None


def batteries(root: Path = POWER_SUPPLY) -> list[Battery]:
    if not root.is_dir():
        return []
    found = []
    for supply in sorted(root.iterdir()):
        try:
            if (supply / "type").read_text().strip() == "Battery":
                found.append(Battery(supply))
        except OSError:
            continue
    return found


class BatterySource:
    """Integrates discharge power over time; readings between requests keep the integral honest."""

    name = "battery"
    measured = True

    def __init__(self, battery: Battery, clock: Callable[[], float] = time.monotonic) -> None:
        self._battery = battery
        self._clock = clock
        self._lock = threading.Lock()
        self._last_t = clock()
        self._last_w = battery.power_w() or 0.0
        self._total = 0.0
        self.description = f"battery {battery.folder.name} discharge power (measured)"

    def discharging(self) -> bool:
        return self._battery.status() == "Discharging"

    def joules(self) -> float:
        with self._lock:
            now = self._clock()
            power = self._battery.power_w()
            power = self._last_w if power is None else power
            self._total += (power + self._last_w) / 2 * (now - self._last_t)
            self._last_t, self._last_w = now, power
            return self._total


class EstimateSource:
    """CPU time of this process x watts per busy core: an estimate, labelled as one."""

    name = "estimate"
    measured = False

    def __init__(self, watts_per_core: float, basis: str,
                 cpu_seconds: Callable[[], float] = time.process_time) -> None:
        self.watts_per_core = watts_per_core
        self._cpu_seconds = cpu_seconds
        self._start = cpu_seconds()
        self.description = f"estimate: this process's CPU time x {watts_per_core:g} W per busy core ({basis})"

    def joules(self) -> float:
        return (self._cpu_seconds() - self._start) * self.watts_per_core

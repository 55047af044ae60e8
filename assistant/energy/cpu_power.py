"""Power per busy core for the estimate, from the CPU's model name.

Figures are the rated power (TDP, from the makers' spec sheets) of a typical part of each family
divided by its core count: a rough figure for "one core working flat out", good to a factor of
about two. The user can set their own (``ASSISTANT_WATTS_PER_CORE``); every figure based on this
table is labelled an estimate.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CorePower:
    pattern: str
    watts_per_core: float
    basis: str


TABLE = (
    CorePower(r"Apple M\d", 5.0, "Apple M-series performance core, about 5 W"),
    CorePower(r"Core\(TM\) i\d-\d{4,5}[GU]\d?\b|Core\(TM\) (Ultra )?\d ?\d{3}U|i\d-\d{4,5}U", 3.8,
              "Intel Core U-series laptop, 15 W for 4 cores"),
    CorePower(r"Core\(TM\) i\d-\d{4,5}H[KSX]?\b|Core\(TM\) Ultra \d \d{3}H", 5.6,
              "Intel Core H-series laptop, 45 W for 8 cores"),
    CorePower(r"Core\(TM\) i\d-\d{4,5}[KF]*\b|Core\(TM\) i\d CPU", 10.8, "Intel Core desktop, 65 W for 6 cores"),
    CorePower(r"Xeon", 7.5, "Intel Xeon server, 150 W for 20 cores"),
    CorePower(r"Ryzen \d \d{4}U|Ryzen \d \d{4}HS|Ryzen AI", 3.1, "AMD Ryzen laptop, 25 W for 8 cores"),
    CorePower(r"Ryzen", 10.8, "AMD Ryzen desktop, 65 W for 6 cores"),
    CorePower(r"EPYC", 7.5, "AMD EPYC server, 240 W for 32 cores"),
    CorePower(r"Cortex-A7\d|BCM2711|Raspberry", 1.0, "ARM Cortex-A7x board, 4 W for 4 cores"),
)
GENERIC = CorePower(r"", 6.0, "no table entry for this CPU: a generic 6 W per core")


def cpu_model(cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    try:
        for line in cpuinfo.read_text().splitlines():
            if line.lower().startswith(("model name", "hardware", "cpu model")):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def watts_per_core(model: str | None = None, override: float | None = None) -> tuple[float, str]:
    """(watts, how the figure was chosen)."""
    if override is None and os.environ.get("ASSISTANT_WATTS_PER_CORE"):
        try:
            override = float(os.environ["ASSISTANT_WATTS_PER_CORE"])
        except ValueError:
            override = None
    if override is not None:
        return override, "set by the user"
    model = cpu_model() if model is None else model
    for entry in TABLE:
        if re.search(entry.pattern, model):
            return entry.watts_per_core, f"{entry.basis}; CPU: {model}"
    return GENERIC.watts_per_core, f"{GENERIC.basis}; CPU: {model or 'unknown'}"

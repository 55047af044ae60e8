"""Whether this CPU clamps an int8 model's products, and the weight formats that avoid it.

ONNX Runtime multiplies uint8 activations by int8 weights, on x86 CPUs without VNNI, with AVX2's
VPMADDUBSW, which adds two byte products into 16 bits and clamps the sum at 32 767. Models exported
with full-range int8 weights (every model before 2026-12-07) therefore compute other numbers on such
a CPU than on one with VNNI; exports since then store weights whose products no x86 CPU clamps (the
card's precision names them). Float operations still differ a little between CPUs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

CPUINFO = Path("/proc/cpuinfo")
EXTENSIONS = frozenset({"avx2", "avx512bw", "avx512_vnni", "avx_vnni"})
VNNI = frozenset({"avx512_vnni", "avx_vnni"})


@dataclass(frozen=True)
class WeightFormat:
    """How dynamic quantisation stores MatMul weights. Full-range int8 weights reach 2 x 255 x 127 in two
    products, past 16 bits; 7-bit int8 weights (``reduce_range``: [-64, 64]) stay below 2**15; uint8
    weights are widened to 16 bits before they are multiplied (benchmarks/int8.py measures the three)."""

    weights: Literal["int8", "uint8"]
    reduce_range: bool = False

    @property
    def name(self) -> str:
        return f"7-bit {self.weights}" if self.reduce_range else self.weights

    @property
    def clamps(self) -> bool:
        """Whether a CPU with AVX2 and no VNNI clamps this format's products."""
        return self.weights == "int8" and not self.reduce_range


FORMATS = (WeightFormat("int8"), WeightFormat("int8", reduce_range=True), WeightFormat("uint8"))


def precision_of(weight_format: WeightFormat) -> str:
    """The model card's precision of an int8 export in ``weight_format``."""
    return f"int8 dynamic (MatMul per output column, {weight_format.name} weights; Gather)"


def int8_extensions(cpuinfo: Path = CPUINFO) -> frozenset[str]:
    """The integer dot-product extensions the CPU reports (none where /proc/cpuinfo is not readable)."""
    try:
        lines = cpuinfo.read_text().splitlines()
    except OSError:
        return frozenset()
    flags = next((line.split(":", 1)[1].split() for line in lines if line.startswith("flags")), [])
    return EXTENSIONS.intersection(flags)


def saturates(extensions: frozenset[str]) -> bool:
    return "avx2" in extensions and not extensions & VNNI


def clamped_precision(precision: str) -> bool:
    """Whether a card's precision is int8 with full-range weights: every int8 precision before
    2026-12-07 (they named no weight format) and the full-range format named since."""
    if not precision.startswith("int8"):
        return False
    return not any(precision == precision_of(f) for f in FORMATS if not f.clamps)


def clamps_here(precision: str, extensions: frozenset[str] | None = None) -> bool:
    """Whether this CPU (or one with ``extensions``) clamps a model of this card precision. The CPU is read
    only for a precision that can clamp, so a current model costs no read of /proc/cpuinfo."""
    return clamped_precision(precision) and saturates(int8_extensions() if extensions is None else extensions)


def int8_caveat(precision: str, extensions: frozenset[str] | None = None) -> str | None:
    """Why this CPU may compute a model less well than a CPU with VNNI does, or None."""
    if not clamps_here(precision, extensions):
        return None
    return ("This model stores full-range int8 weights, which this CPU (AVX2 without VNNI) multiplies with "
            "16-bit clamping, so it may understand less well here than on a CPU with VNNI. Retraining exports "
            "7-bit weights, which no x86 CPU clamps.")

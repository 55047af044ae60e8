"""Whether this CPU computes an int8 model as the machine that trained it did.

ONNX Runtime multiplies uint8 activations by int8 weights, on x86 CPUs without VNNI, with AVX2's
VPMADDUBSW, which adds two byte products into 16 bits and saturates past 32 767. Models exported
with full-range int8 weights (every model before 2026-12-07) therefore compute other numbers on such
a CPU than on one with VNNI; exports since then store weights that cannot saturate (the card's
precision names them) and compute alike everywhere.
"""

from __future__ import annotations

from pathlib import Path

CPUINFO = Path("/proc/cpuinfo")
EXTENSIONS = frozenset({"avx2", "avx512bw", "avx512_vnni", "avx_vnni"})
VNNI = frozenset({"avx512_vnni", "avx_vnni"})


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


def int8_caveat(precision: str, extensions: frozenset[str]) -> str | None:
    """Why a model may understand less well on this CPU than its card says, or None."""
    if not precision.startswith("int8") or " weights" in precision or not saturates(extensions):
        return None
    return ("This model stores full-range int8 weights, which this CPU (AVX2 without VNNI) multiplies with "
            "16-bit saturation, so it may understand less well here than its card says. Retraining exports "
            "weights that compute alike on every CPU.")

"""Which models a CPU computes other than their card says: full-range int8 weights on AVX2 without VNNI."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.engine import ModelStatus
from assistant.nlu.int8_kernels import int8_caveat, int8_extensions
from assistant.nlu.modelcard import ModelCard

LEGACY = "int8 dynamic (MatMul per output column, Gather)"
CURRENT = "int8 dynamic (MatMul per output column, uint8 weights; Gather)"
ZEN3 = frozenset({"avx2"})
ICE_LAKE = frozenset({"avx2", "avx512bw", "avx512_vnni"})


def test_the_extensions_are_read_from_cpuinfo_and_none_where_it_cannot_be_read(tmp_path: Path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nmodel name\t: AMD EPYC\nflags\t\t: fpu sse2 avx avx2 fma bmi2\n\n"
                       "processor\t: 1\nflags\t\t: fpu sse2 avx avx2 fma bmi2\n")
    assert int8_extensions(cpuinfo) == {"avx2"}
    assert int8_extensions(tmp_path / "missing") == frozenset()
    (tmp_path / "arm").write_text("processor\t: 0\nFeatures\t: fp asimd\n")
    assert int8_extensions(tmp_path / "arm") == frozenset()


@pytest.mark.parametrize(("precision", "extensions", "warned"), [
    (LEGACY, ZEN3, True),
    ("int8 dynamic (MatMul, Gather)", ZEN3, True),  # one scale per matrix, before 2026-12-06: int8 weights too
    (LEGACY, ICE_LAKE, False),  # VNNI adds four products into 32 bits: exact
    (LEGACY, frozenset(), False),  # not x86, or not known: nothing to say
    (CURRENT, ZEN3, False),
    ("fp32", ZEN3, False),
])
def test_a_full_range_int8_model_on_a_saturating_cpu_gets_a_caveat(precision, extensions, warned):
    caveat = int8_caveat(precision, extensions)
    assert (caveat is not None) == warned
    if caveat:
        assert "AVX2 without VNNI" in caveat and "Retraining" in caveat


def test_the_model_status_says_why_to_retrain_when_the_plugins_fit_but_the_cpu_does_not():
    card = ModelCard.read(Path(__file__).resolve().parents[1] / "resources" / "model")
    caveat = int8_caveat(LEGACY, ZEN3)
    assert ModelStatus(card, Path("m"), True).message is None
    assert ModelStatus(card, Path("m"), True, caveat).message == f"{caveat} Run `assistant train` to retrain it " \
        "(a few minutes on the CPU)."
    both = ModelStatus(card, Path("m"), False, caveat).message
    assert both is not None and both.startswith("The installed plugins have changed") and caveat in both

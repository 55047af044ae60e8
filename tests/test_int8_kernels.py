"""Which models a CPU computes other than their card says: full-range int8 weights on AVX2 without VNNI."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.engine import ModelStatus
from assistant.nlu.int8_kernels import FORMATS, WeightFormat, int8_caveat, int8_extensions, precision_of
from assistant.nlu.modelcard import ModelCard

SHIPPED = Path(__file__).resolve().parents[1] / "resources" / "model"
LEGACY = "int8 dynamic (MatMul per output column, Gather)"
CURRENT = ModelCard.read(SHIPPED).architecture["precision"]
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
    (CURRENT, ZEN3, False),  # the shipped model's: 7-bit weights
    (precision_of(WeightFormat("uint8")), ZEN3, False),
    (precision_of(WeightFormat("int8")), ZEN3, True),  # full range in the new naming is still clamped
    ("fp32", ZEN3, False),
])
def test_a_full_range_int8_model_on_a_saturating_cpu_gets_a_caveat(precision, extensions, warned):
    caveat = int8_caveat(precision, extensions)
    assert (caveat is not None) == warned
    if caveat:
        assert "AVX2 without VNNI" in caveat and "Retraining" in caveat


def test_the_model_status_says_why_to_retrain_when_the_plugins_fit_but_the_cpu_does_not():
    card = ModelCard.read(SHIPPED)
    caveat = int8_caveat(LEGACY, ZEN3)
    assert ModelStatus(card, Path("m"), True).message is None
    assert ModelStatus(card, Path("m"), True, caveat).message == f"{caveat} Run `assistant train` to retrain it " \
        "(a few minutes on the CPU)."
    both = ModelStatus(card, Path("m"), False, caveat).message
    assert both is not None and both.startswith("The installed plugins have changed") and caveat in both


def test_the_formats_that_ship_are_the_ones_no_cpu_clamps():
    from assistant.training.export import INT8, SHIPPED_FORMAT

    assert not SHIPPED_FORMAT.clamps and INT8 == precision_of(SHIPPED_FORMAT) == CURRENT
    assert [f.clamps for f in FORMATS] == [True, False, False]


def test_a_loaded_legacy_model_carries_the_caveat_on_a_clamping_cpu(tmp_path: Path, monkeypatch):
    """The wiring: the runtime reads the card and the CPU, and the engine's status and the UI's snapshot
    pass the caveat on (the banner and the chat's note read it)."""
    import json
    import shutil

    from assistant.nlu import int8_kernels, runtime

    legacy = tmp_path / "legacy"
    shutil.copytree(SHIPPED, legacy)
    card = json.loads((legacy / "model_card.json").read_text())
    card["architecture"]["precision"] = LEGACY
    (legacy / "model_card.json").write_text(json.dumps(card))
    monkeypatch.setattr(int8_kernels, "int8_extensions", lambda: ZEN3)
    assert runtime.NluModel(SHIPPED).caveat is None
    model = runtime.NluModel(legacy)
    assert model.caveat == int8_caveat(LEGACY, ZEN3)
    monkeypatch.setattr(int8_kernels, "int8_extensions", lambda: ICE_LAKE)
    assert runtime.NluModel(legacy).caveat is None

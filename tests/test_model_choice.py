"""Which model the assistant loads when none is named: the user's or the shipped one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant import engine
from assistant.engine import choose_model
from assistant.errors import ModelError
from assistant.nlu import int8_kernels
from assistant.nlu.int8_kernels import WeightFormat, precision_of

SHIPPED = Path(__file__).resolve().parents[1] / "resources" / "model"
PLUGINS = "hash-of-the-installed-plugins"
SEVEN_BIT = precision_of(WeightFormat("int8", reduce_range=True))
FULL_RANGE = precision_of(WeightFormat("int8"))
LEGACY = "int8 dynamic (MatMul per output column, Gather)"  # full-range weights, before 2026-12-07


def card_in(directory: Path, data_hash: str, precision: str | None = SEVEN_BIT) -> Path:
    """A model directory holding only a copy of the shipped card, with another data hash and precision
    (None: a card that names none)."""
    card = json.loads((SHIPPED / "model_card.json").read_text())
    card["data_hash"] = data_hash
    card["architecture"].pop("precision", None)
    if precision is not None:
        card["architecture"]["precision"] = precision
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "model_card.json").write_text(json.dumps(card))
    return directory


@pytest.fixture
def dirs(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """(the user's model directory, the shipped one), both empty to begin with."""
    shipped = tmp_path / "resources" / "model"
    monkeypatch.setattr(engine, "shipped_model_dir", lambda: shipped)
    return home / "model", shipped


@pytest.fixture
def clamping_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(int8_kernels, "int8_extensions", lambda *_: frozenset({"avx2"}))


@pytest.fixture
def vnni_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(int8_kernels, "int8_extensions", lambda *_: frozenset({"avx2", "avx512_vnni"}))


def test_a_named_model_is_taken_as_it_is(dirs, tmp_path: Path):
    card_in(dirs[0], PLUGINS)
    assert choose_model(PLUGINS, tmp_path / "elsewhere") == tmp_path / "elsewhere"


def test_no_model_anywhere_names_both_places_and_how_to_train(dirs):
    with pytest.raises(ModelError, match="assistant train") as error:
        choose_model(PLUGINS)
    assert str(dirs[0]) in str(error.value) and str(dirs[1]) in str(error.value)


@pytest.mark.parametrize("cpu", ["vnni_cpu", "clamping_cpu"])
def test_the_users_model_wins_when_both_fit(dirs, cpu, request):
    request.getfixturevalue(cpu)
    user = card_in(dirs[0], PLUGINS)
    card_in(dirs[1], PLUGINS)
    assert choose_model(PLUGINS) == user


def test_the_model_that_fits_the_plugins_wins(dirs, vnni_cpu):
    card_in(dirs[0], "plugins-of-last-month")
    shipped = card_in(dirs[1], PLUGINS)
    assert choose_model(PLUGINS) == shipped


def test_when_neither_fits_the_users_model_is_kept(dirs):
    user = card_in(dirs[0], "plugins-of-last-month")
    card_in(dirs[1], "plugins-as-shipped")
    assert choose_model(PLUGINS) == user


@pytest.mark.parametrize("shipped_hash", [PLUGINS, "plugins-as-shipped"])
def test_an_unreadable_card_is_passed_over(dirs, shipped_hash):
    dirs[0].mkdir(parents=True)
    (dirs[0] / "model_card.json").write_text("{not json")
    shipped = card_in(dirs[1], shipped_hash)
    assert choose_model(PLUGINS) == shipped


@pytest.mark.parametrize("precision", [LEGACY, FULL_RANGE])
def test_a_users_full_range_model_gives_way_on_a_cpu_that_clamps_it(dirs, clamping_cpu, precision, caplog):
    card_in(dirs[0], PLUGINS, precision)
    shipped = card_in(dirs[1], PLUGINS)
    with caplog.at_level("INFO", logger="assistant.engine"):
        assert choose_model(PLUGINS) == shipped
    assert "clamps" in caplog.text and str(dirs[0]) in caplog.text


@pytest.mark.parametrize("precision", ["fp32", None])
def test_a_users_model_that_cannot_clamp_is_kept_on_that_cpu(dirs, clamping_cpu, precision):
    user = card_in(dirs[0], PLUGINS, precision)
    card_in(dirs[1], PLUGINS)
    assert choose_model(PLUGINS) == user


def test_when_both_would_clamp_the_users_model_is_kept(dirs, clamping_cpu):
    user = card_in(dirs[0], PLUGINS, LEGACY)
    card_in(dirs[1], PLUGINS, LEGACY)
    assert choose_model(PLUGINS) == user


def test_a_users_full_range_model_is_kept_on_a_cpu_with_vnni(dirs, vnni_cpu):
    user = card_in(dirs[0], PLUGINS, LEGACY)
    card_in(dirs[1], PLUGINS)
    assert choose_model(PLUGINS) == user


def test_fitting_the_plugins_matters_more_than_clamping(dirs, clamping_cpu):
    """A full-range model that understands the installed plugins beats one that does not know them."""
    user = card_in(dirs[0], PLUGINS, LEGACY)
    card_in(dirs[1], "plugins-as-shipped")
    assert choose_model(PLUGINS) == user

"""Options that tune how the student trains (``--ema``, ``--intent-weight``): a value out of range is refused
before anything is trained or written, and a run records the value it was given in its model card."""

from __future__ import annotations

import math

import pytest

pytest.importorskip("torch", reason="training tests need the train extra (torch)")

from assistant.errors import TrainingError
from assistant.nlu.modelcard import ModelCard
from assistant.training.pipeline import train_model
from tests.test_training import scratch_config, tiny_config, tiny_data

REFUSED = [
    ("ema", -0.1, "--ema -0.1: the average's decay per update"),
    ("ema", 1.0, "--ema 1: the average's decay per update"),
    ("ema", 1.5, "--ema 1.5: the average's decay per update"),
    ("intent_weight", 0.0, "--intent-weight 0: the intent's loss against the slots'"),
    ("intent_weight", -1.0, "--intent-weight -1: the intent's loss against the slots'"),
    ("intent_weight", math.nan, "--intent-weight nan: the intent's loss against the slots'"),
]


@pytest.mark.parametrize(("option", "value", "message"), REFUSED)
def test_a_value_out_of_range_is_refused_before_training(tmp_path, option, value, message):
    with pytest.raises(TrainingError, match=message):
        train_model(tiny_data(), tiny_config(tmp_path / "model", **{option: value}), command="test")
    assert not (tmp_path / "model").exists()


@pytest.mark.parametrize(("option", "value"), [("ema", 0.9), ("intent_weight", 2.0)])
def test_a_run_records_the_value_in_its_card(tmp_path, option, value):
    train_model(tiny_data(), scratch_config(tmp_path, epochs=3, quantize=False, **{option: value}), command="test")
    card = ModelCard.read(tmp_path / "model")
    assert card.training[option] == value
    assert card.metrics["heldout"]["utterances"] == 3

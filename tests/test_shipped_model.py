"""The model in resources/: trained on the built-in plugins as they are now, small, and accurate."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from assistant.nlu.data import read_labelled_yaml
from assistant.nlu.metrics import score
from assistant.nlu.modelcard import ModelCard
from assistant.nlu.training_set import fingerprint, general_negatives
from assistant.plugins.registry import PluginRegistry
from assistant.results import OUT_OF_SCOPE

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "resources" / "model"
HELDOUT = ROOT / "tests" / "data" / "heldout.yaml"
RETRAIN = "retrain with: assistant train --output resources/model --no-user-plugins"


def builtin_specs():
    registry = PluginRegistry.discover(None)
    assert not registry.failures
    return registry.specs()


def test_the_model_was_trained_on_the_current_builtin_plugins():
    card = ModelCard.read(MODEL)
    assert card.data_hash == fingerprint(builtin_specs(), general_negatives()), \
        f"the built-in intents changed since resources/model was trained; {RETRAIN}"


def test_the_model_is_at_most_12_mb_and_its_card_is_complete():
    card = ModelCard.read(MODEL)
    assert (MODEL / "model.onnx").stat().st_size <= 12_000_000
    assert card.command.startswith("assistant train")
    assert card.files["model.onnx"]["bytes"] == (MODEL / "model.onnx").stat().st_size
    assert {"torch", "transformers", "onnxruntime", "tokenizers"} <= set(card.libraries)
    assert card.metrics["heldout"]["intent_accuracy"] > 0.9
    intents = {i.name for s in builtin_specs() for i in s.intents}
    assert set(card.labels.intents) == intents | {OUT_OF_SCOPE}
    assert (MODEL / "MODEL_CARD.md").is_file()


def test_every_builtin_example_parses_back_to_its_intent(shipped_nlu):
    examples = [(e.text, i.name) for s in builtin_specs() for i in s.intents for e in i.examples]
    parses = shipped_nlu.parse_batch([text for text, _ in examples])
    wrong = [(text, want, got.intent.name) for (text, want), got in zip(examples, parses, strict=True)
             if got.intent.name != want]
    assert not wrong, f"{len(wrong)} of {len(examples)} built-in examples do not parse back: {wrong[:20]}"


def test_new_phrasings_never_trained_on_reach_90_percent_intent_accuracy(shipped_nlu):
    data = read_labelled_yaml(HELDOUT)
    per_intent = Counter(u.intent for u in data)
    intents = {i.name for s in builtin_specs() for i in s.intents}
    assert all(per_intent[name] >= 5 for name in intents), per_intent
    trained = {e.text.lower() for s in builtin_specs() for i in s.intents for e in i.examples}
    trained |= {t.lower() for t in general_negatives()}
    assert not [u.text for u in data if u.text.lower() in trained], "held-out phrasings must not be training data"
    scores = score(data, shipped_nlu.parse_batch([u.text for u in data]))
    assert scores.intent_accuracy >= 0.90, scores

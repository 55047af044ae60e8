"""The NLU for the benchmark: the project's model trained on the converted Rhino context only.

Training runs once per training-data hash and configuration (minutes on two cores) and is cached;
afterwards the model parses a transcript into the benchmark's intent and slot names, with values
normalised by the project's ``choice`` normaliser.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant import values
from assistant.errors import ValueParseError
from assistant.nlu.training_set import build_training_set, general_negatives
from assistant.speech.bench.rhino_context import RhinoContext

TRAIN_CHANGES: dict[str, Any] = {"teacher_epochs": 2, "epochs": 6, "final_epochs": 1, "per_intent": 3000}
"""Smaller than the shipped recipe (one intent, a tiny closed vocabulary): minutes instead of an hour."""


@dataclass(frozen=True)
class Understood:
    intent: str | None
    slots: dict[str, str] = field(default_factory=dict)


def model_dir(cache: Path, context: RhinoContext, changes: dict[str, Any]) -> Path:
    data = build_training_set([context.spec], general_negatives(), per_intent=changes.get("per_intent", 300))
    key = hashlib.sha256(json.dumps({"data": data.data_hash, "config": changes}, sort_keys=True).encode()).hexdigest()
    return cache / f"coffee-nlu-{key[:16]}"


def train_if_needed(cache: Path, context: RhinoContext, changes: dict[str, Any] | None = None,
                    progress: Any = None) -> Path:
    """The cached model directory, training it first when it is missing."""
    changes = dict(TRAIN_CHANGES if changes is None else changes)
    output = model_dir(cache, context, changes)
    if (output / "model_card.json").is_file():
        return output
    from assistant.training.config import TrainConfig
    from assistant.training.pipeline import train_model

    data = build_training_set([context.spec], general_negatives(), per_intent=changes.get("per_intent", 300))
    config = TrainConfig(output=output, **changes)
    train_model(data, config, "assistant bench speech (coffee_maker.yaml converted to a plugin spec)", progress)
    return output


class CoffeeUnderstanding:
    def __init__(self, directory: Path, context: RhinoContext) -> None:
        from assistant.nlu.runtime import NluModel

        self.model = NluModel(directory)
        self.context = context
        self._intents = {spec: rhino for rhino, spec in context.intent_names.items()}
        self._slots = {spec: rhino for rhino, spec in context.slot_names.items()}
        self._now = datetime.now().astimezone()

    def understand(self, text: str) -> Understood:
        if not text.strip():
            return Understood(None)
        parse = self.model.parse(text)
        intent = self._intents.get(parse.intent.name)
        spec = self.context.spec.intent(parse.intent.name)
        if intent is None or spec is None:
            return Understood(None)
        slots: dict[str, str] = {}
        for slot in parse.slots:
            slot_spec = spec.slot(slot.name)
            if slot_spec is None:
                continue
            try:
                value = values.normalise("choice", slot.raw,
                                         values.ValueContext(now=self._now, choices=slot_spec.choice_words()))
            except ValueParseError:
                continue
            slots[self._slots.get(slot.name, slot.name)] = str(value)
        return Understood(intent, slots)

"""Choosing the out-of-scope rule a trained model ships with, on its held-out split.

Training calls it once the model is exported; a model trained before it was told a recall target
can have its rule chosen again from the same held-out split (the accuracy benchmark does), since
the choice reads only the exported model's intent scores.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import TrainingError
from assistant.nlu.confidence import OosRule, rejected
from assistant.nlu.metrics import score
from assistant.nlu.modelcard import ModelCard
from assistant.nlu.runtime import NluModel
from assistant.nlu.threshold import accepting, choose_rule, curve
from assistant.nlu.training_set import TrainingSet
from assistant.results import OUT_OF_SCOPE


def choose_oos_rule(model: NluModel, data: TrainingSet, fixed: float | None, recall: float | None,
                    ) -> tuple[OosRule, dict[str, Any]]:
    """The rule (fixed, best balanced, or keeping ``recall``) and the card's record of the choice."""
    logits = model.intent_logits([u.text for u in data.heldout])
    gold = np.array(data.labels.intent_indices(u.intent for u in data.heldout))
    oos = data.labels.intent_index(OUT_OF_SCOPE)
    try:
        rule, candidates = choose_rule(logits, gold, oos, fixed, recall)
    except ValueError as error:
        raise TrainingError(str(error)) from error
    return rule, {"oos_rule_choice": candidates,
                  "threshold_curve": [p.to_json() for p in curve(logits, gold, rule, oos_index=oos)]}


def accept_declared(directory: Path, rule: OosRule, data: TrainingSet, metrics: dict[str, Any]) -> OosRule:
    """The validated rule, lowered if the finished model would refuse one of the plugins' own examples
    (recorded in ``metrics``, with the examples that needed it)."""
    if not data.declared:
        return rule
    texts = [u.text for u in data.declared]
    logits = NluModel(directory).intent_logits(texts)
    gold = np.array(data.labels.intent_indices(u.intent for u in data.declared))
    oos = data.labels.intent_index(OUT_OF_SCOPE)
    shipped = accepting(rule, logits, gold, oos)
    if shipped != rule:
        refused = rejected(logits, rule, oos) & (logits.argmax(axis=-1) == gold)
        metrics["threshold_lowered"] = {"validated": rule.threshold, "shipped": shipped.threshold,
                                        "so_that_these_are_understood": [t for t, r in zip(texts, refused,
                                                                                            strict=True) if r]}
    return shipped


def chosen_recall(card: ModelCard) -> float | None:
    """The recall target the card's rule was chosen for (None: the best balanced rule)."""
    rechosen = card.metrics.get("oos_rule_rechosen")
    return rechosen["oos_recall"] if rechosen else card.training.get("oos_recall")


def rechoose_oos_rule(directory: Path, data: TrainingSet, recall: float | None, note: str) -> ModelCard:
    """Choose a trained model's rule again for ``recall`` and rewrite its card (``note`` says by whom).

    Only for models that never learned from their held-out split, as for the tag-pair prior."""
    card = ModelCard.read(directory)
    if card.training.get("final_epochs", 0):
        raise TrainingError(f"{directory} learned from its held-out split in a final pass; retrain it instead")
    model = NluModel(directory)
    rule, metrics = choose_oos_rule(model, data, None, recall)
    model.decoder.rule = rule
    metrics = {**card.metrics, **metrics, "heldout": score(data.heldout, model.parse_batch(
        [u.text for u in data.heldout])).to_json(), "oos_rule_rechosen": {"oos_recall": recall, "by": note}}
    rule = accept_declared(directory, rule, data, metrics)
    card = replace(card, oos=rule, metrics=metrics)
    card.write(directory)
    return card

"""Fitting the slot decoder's tag-pair prior (:mod:`assistant.nlu.tag_bigrams`) to a trained model.

The pairs are counted on the training split with the model's own word segmentation; the weight is
the one of :data:`~assistant.nlu.tag_bigrams.WEIGHTS` that decodes the held-out split best (slot
F1, then exact match, then the smaller weight), measured on the exported model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from assistant.errors import TrainingError
from assistant.nlu.data import LabeledUtterance
from assistant.nlu.encoding import TextEncoder
from assistant.nlu.metrics import Scores, score
from assistant.nlu.modelcard import ModelCard
from assistant.nlu.runtime import NluModel
from assistant.nlu.tag_bigrams import WEIGHTS, TagBigrams
from assistant.nlu.training_set import TrainingSet
from assistant.training.features import word_tags


def count_tag_pairs(items: Sequence[LabeledUtterance], encoder: TextEncoder) -> TagBigrams:
    return TagBigrams.count(word_tags(item, encoder.encode(item.text).word_spans) for item in items)


@dataclass(frozen=True)
class PriorChoice:
    bigrams: TagBigrams
    """The counts, at the chosen weight."""
    tried: dict[float, Scores]
    """Held-out scores at each weight tried."""

    @property
    def scores(self) -> Scores:
        return self.tried[self.bigrams.weight]

    def summary(self) -> dict[str, Any]:
        return {"chosen": self.bigrams.weight,
                "heldout_by_weight": {f"{w:g}": {"slot_f1": round(s.slot_f1 or 0.0, 4),
                                                 "exact_match": round(s.exact_match, 4)}
                                      for w, s in self.tried.items()}}


def choose_tag_prior(model: NluModel, data: TrainingSet) -> PriorChoice | None:
    """The prior for ``model`` (decoded with its current out-of-scope rule), which is left decoding with
    the last weight tried; None when the data has no slots or no held-out split."""
    if len(data.labels.slot_tags) <= 1 or not data.heldout:
        return None
    counts = count_tag_pairs(data.train, model.encoder)
    texts = [u.text for u in data.heldout]
    tried: dict[float, Scores] = {}
    for weight in WEIGHTS:
        model.decoder.use_bigrams(counts.with_weight(weight))
        tried[weight] = score(data.heldout, model.parse_batch(texts))
    best = max(WEIGHTS, key=lambda w: (tried[w].slot_f1 or 0.0, tried[w].exact_match, -w))
    return PriorChoice(counts.with_weight(best), tried)


def add_tag_prior(directory: Path, data: TrainingSet, note: str) -> ModelCard:
    """Fit the prior to a model trained before it existed and rewrite its card (``note`` says how).

    Only for models that never learned from their held-out split: after a final pass over all
    examples the held-out scores would flatter every weight alike.
    """
    card = ModelCard.read(directory)
    if card.training.get("final_epochs", 0):
        raise TrainingError(f"{directory} learned from its held-out split in a final pass; retrain it instead")
    choice = choose_tag_prior(NluModel(directory), data)
    if choice is None:
        return card
    metrics = {**card.metrics, "heldout": choice.scores.to_json(), "tag_bigram_weight": choice.summary(),
               "tag_bigrams_added": note}
    card = replace(card, tag_bigrams=choice.bigrams, metrics=metrics)
    card.write(directory)
    return card

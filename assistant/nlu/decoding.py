"""From model scores to an intent and slot spans.

Slots are decoded with a BIO-constrained Viterbi pass (an ``I-x`` may only follow ``B-x`` or
``I-x``) restricted to the slots the chosen intent declares, so the output is always a valid
span set for that intent.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assistant.nlu.labels import OUTSIDE, LabelSet
from assistant.results import OUT_OF_SCOPE, IntentScore, Slot


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    result: np.ndarray = exp / exp.sum(axis=-1, keepdims=True)
    return result


def choose_intent(probabilities: np.ndarray, labels: LabelSet, threshold: float,
                  alternatives: int = 3) -> tuple[IntentScore, tuple[IntentScore, ...]]:
    """The intent to act on: ``oos`` when the model says so or is less sure than ``threshold``."""
    order = np.argsort(-probabilities)
    ranked = tuple(IntentScore(labels.intents[i], float(probabilities[i])) for i in order[:alternatives])
    best = ranked[0]
    if best.name == OUT_OF_SCOPE:
        return best, ranked
    if best.confidence < threshold:
        return IntentScore(OUT_OF_SCOPE, 1.0 - best.confidence), ranked
    return best, ranked


def allowed_tags(labels: LabelSet, intent: str) -> np.ndarray:
    """Boolean mask over tags: ``O`` plus the B/I tags of the intent's slots."""
    slots = set(labels.intent_slots.get(intent, ()))
    return np.array([t == OUTSIDE or t[2:] in slots for t in labels.slot_tags])


def transition_mask(tags: Sequence[str]) -> np.ndarray:
    """allowed[i, j]: may tag j follow tag i? (``I-x`` only after ``B-x``/``I-x``)."""
    n = len(tags)
    allowed = np.ones((n, n), dtype=bool)
    for j, tag in enumerate(tags):
        if tag.startswith("I-"):
            for i, prev in enumerate(tags):
                allowed[i, j] = prev[2:] == tag[2:] and prev != OUTSIDE
    return allowed


def viterbi_tags(log_probs: np.ndarray, tags: Sequence[str], mask: np.ndarray,
                 transitions: np.ndarray) -> list[int]:
    """Best tag sequence under the constraints; ``log_probs`` is [words, tags]."""
    words = log_probs.shape[0]
    if words == 0:
        return []
    neg = -1e9
    emissions = np.where(mask[None, :], log_probs, neg)
    start_ok = np.array([not t.startswith("I-") for t in tags])
    score = np.where(start_ok, emissions[0], neg)
    back = np.zeros((words, len(tags)), dtype=np.int64)
    trans = np.where(transitions, 0.0, neg)
    for w in range(1, words):
        total = score[:, None] + trans
        back[w] = total.argmax(axis=0)
        score = total.max(axis=0) + emissions[w]
    best = [int(score.argmax())]
    for w in range(words - 1, 0, -1):
        best.append(int(back[w, best[-1]]))
    return best[::-1]


def tags_to_slots(text: str, word_spans: Sequence[tuple[int, int]], tag_ids: Sequence[int],
                  tags: Sequence[str], word_confidence: Sequence[float]) -> tuple[Slot, ...]:
    """Merge B/I runs into slots whose spans index ``text``."""
    slots: list[Slot] = []
    current: tuple[str, int, int, list[float]] | None = None

    def close() -> None:
        if current is not None:
            name, start, end, conf = current
            slots.append(Slot(name=name, raw=text[start:end], start=start, end=end,
                              confidence=float(min(conf))))

    for (start, end), tag_id, conf in zip(word_spans, tag_ids, word_confidence, strict=True):
        tag = tags[tag_id]
        if tag.startswith("B-") or (tag.startswith("I-") and (current is None or current[0] != tag[2:])):
            close()
            current = (tag[2:], start, end, [conf])
        elif tag.startswith("I-") and current is not None:
            current = (current[0], current[1], end, [*current[3], conf])
        else:
            close()
            current = None
    close()
    return tuple(slots)

"""From model scores to an intent and slot spans.

Slots are decoded with a BIO-constrained Viterbi pass (an ``I-x`` may only follow ``B-x`` or
``I-x``) restricted to the slots the chosen intent declares, so the output is always a valid
span set for that intent. Where the model card carries tag-pair counts (:mod:`.tag_bigrams`),
their weighted scores are added to each step, and so are the pair scores a CRF learned with the
tagger (:mod:`.tag_transitions`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assistant.nlu.confidence import OosRule, probabilities, rejected
from assistant.nlu.labels import OUTSIDE, LabelSet
from assistant.nlu.tag_bigrams import TagBigrams
from assistant.nlu.tag_transitions import TagTransitions
from assistant.results import OUT_OF_SCOPE, IntentScore, ParseResult, Slot


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    result: np.ndarray = exp / exp.sum(axis=-1, keepdims=True)
    return result


def choose_intent(logits: np.ndarray, labels: LabelSet, rule: OosRule,
                  alternatives: int = 3) -> tuple[IntentScore, tuple[IntentScore, ...]]:
    """The intent to act on: ``oos`` when the model says so or the rule finds it unsure.

    Confidences are the (temperature-calibrated) softmax probabilities whatever score the rule uses.
    """
    probs = probabilities(logits[None, :], rule.temperature)[0]
    order = np.argsort(-probs)
    ranked = tuple(IntentScore(labels.intents[i], float(probs[i])) for i in order[:alternatives])
    best = ranked[0]
    oos = labels.intents.index(OUT_OF_SCOPE)
    if best.name == OUT_OF_SCOPE:
        return best, ranked
    if rejected(logits[None, :], rule, oos)[0]:
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


def start_mask(tags: Sequence[str]) -> np.ndarray:
    """allowed[j]: may a sentence start with tag j? (not with an ``I-x``)."""
    return np.array([not t.startswith("I-") for t in tags])


FORBIDDEN = -1e9


def transition_scores(tags: Sequence[str], bigrams: TagBigrams | None = None,
                      learned: TagTransitions | None = None) -> np.ndarray:
    """[previous, next] scores for the Viterbi pass: the BIO constraints, plus the tag-pair prior and the
    learned pair scores if any."""
    prior = bigrams.scores(tags) if bigrams is not None else 0.0
    if learned is not None:
        prior = prior + learned.matrix(tags)
    result: np.ndarray = np.where(transition_mask(tags), prior, FORBIDDEN)
    return result


def viterbi_tags(log_probs: np.ndarray, tags: Sequence[str], mask: np.ndarray,
                 transitions: np.ndarray) -> list[int]:
    """Best tag sequence; ``log_probs`` is [words, tags], ``transitions`` from :func:`transition_scores`."""
    words = log_probs.shape[0]
    if words == 0:
        return []
    emissions = np.where(mask[None, :], log_probs, FORBIDDEN)
    score = np.where(start_mask(tags), emissions[0], FORBIDDEN)
    back = np.zeros((words, len(tags)), dtype=np.int64)
    for w in range(1, words):
        total = score[:, None] + transitions
        back[w] = total.argmax(axis=0)
        score = total.max(axis=0) + emissions[w]
    best = [int(score.argmax())]
    for w in range(words - 1, 0, -1):
        best.append(int(back[w, best[-1]]))
    return best[::-1]


def _is_punctuation(word: str) -> bool:
    return not any(ch.isalnum() for ch in word)


def tags_to_slots(text: str, word_spans: Sequence[tuple[int, int]], tag_ids: Sequence[int],
                  tags: Sequence[str], word_confidence: Sequence[float]) -> tuple[Slot, ...]:
    """Merge B/I runs into slots whose spans index ``text``.

    Words made only of punctuation never start or end a slot ("4:15 pm." is "4:15 pm"); inside a
    slot they stay ("b.b. king").
    """
    runs: list[tuple[str, list[int]]] = []
    for word, tag_id in enumerate(tag_ids):
        tag = tags[tag_id]
        if tag.startswith("B-") or (tag.startswith("I-") and (not runs or runs[-1][0] != tag[2:]
                                                              or runs[-1][1][-1] != word - 1)):
            runs.append((tag[2:], [word]))
        elif tag.startswith("I-"):
            runs[-1][1].append(word)
    slots: list[Slot] = []
    for name, words in runs:
        kept = list(words)
        while kept and _is_punctuation(text[word_spans[kept[0]][0]:word_spans[kept[0]][1]]):
            kept.pop(0)
        while kept and _is_punctuation(text[word_spans[kept[-1]][0]:word_spans[kept[-1]][1]]):
            kept.pop()
        if kept:
            start, end = word_spans[kept[0]][0], word_spans[kept[-1]][1]
            slots.append(Slot(name=name, raw=text[start:end], start=start, end=end,
                              confidence=float(min(word_confidence[w] for w in kept))))
    return tuple(slots)


class Decoder:
    """Scores of one utterance -> :class:`ParseResult`, for a label set and out-of-scope rule."""

    def __init__(self, labels: LabelSet, rule: OosRule, bigrams: TagBigrams | None = None,
                 learned: TagTransitions | None = None) -> None:
        self.labels = labels
        self.rule = rule
        self.learned = learned
        """Pair scores trained with the model (``assistant train --crf``): part of the model, always used."""
        self._masks = {i: allowed_tags(labels, i) for i in labels.intents}
        self.use_bigrams(bigrams)

    def use_bigrams(self, bigrams: TagBigrams | None) -> None:
        """Decode slots with this tag-pair prior (None: the BIO constraints alone)."""
        self.bigrams = bigrams
        self._transitions = transition_scores(self.labels.slot_tags, bigrams, self.learned)

    def decode(self, text: str, word_spans: Sequence[tuple[int, int]], word_first_token: Sequence[int],
               intent_logits: np.ndarray, slot_logits: np.ndarray, truncated_at: int | None = None) -> ParseResult:
        intent, alternatives = choose_intent(intent_logits, self.labels, self.rule)
        slots: tuple[Slot, ...] = ()
        if intent.name != OUT_OF_SCOPE and word_first_token:
            probs = softmax(slot_logits[list(word_first_token)])
            tag_ids = viterbi_tags(np.log(probs + 1e-12), self.labels.slot_tags, self._masks[intent.name],
                                   self._transitions)
            confidence = [float(probs[w, t]) for w, t in enumerate(tag_ids)]
            slots = tags_to_slots(text, word_spans, tag_ids, self.labels.slot_tags, confidence)
        return ParseResult(text=text, intent=intent, slots=slots, alternatives=alternatives,
                           truncated_at=truncated_at)

"""Intent accuracy, slot F1 and exact match, scored the way the literature scores them.

Slot F1 is conlleval's: a predicted chunk counts only if its type and both boundaries match a
gold chunk. Spans are compared per word: when the data set brings its own word boundaries
(BIO data), predictions are snapped to those words first. A set without a single gold slot
(intent-only, like CLINC150) has no slot scores: they are None, shown as "—", never a false 0 %.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from assistant.nlu.data import LabeledUtterance
from assistant.results import OUT_OF_SCOPE, ParseResult


@dataclass(frozen=True)
class Scores:
    utterances: int
    intent_accuracy: float
    slot_precision: float | None
    slot_recall: float | None
    slot_f1: float | None
    exact_match: float
    """Intent right and every slot span right (sentence accuracy)."""
    in_scope_accuracy: float | None = None
    oos_recall: float | None = None

    def to_json(self, digits: int = 4) -> dict[str, float | int | None]:
        return {k: (round(v, digits) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def percent(value: float | None) -> str:
    """A score for people: one decimal, or a dash when there is nothing to score."""
    return "—" if value is None else f"{value:.1%}"


Chunk = tuple[str, int, int]


def _snap(start: int, end: int, words: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """Word indices covered by a character span (the words whose start lies inside it)."""
    inside = [i for i, (ws, _) in enumerate(words) if start <= ws < end]
    return (inside[0], inside[-1] + 1) if inside else None


def gold_chunks(item: LabeledUtterance) -> set[Chunk]:
    if item.words is None:
        return {(s.slot, s.start, s.end) for s in item.spans}
    chunks = set()
    for span in item.spans:
        snapped = _snap(span.start, span.end, item.words)
        if snapped:
            chunks.add((span.slot, *snapped))
    return chunks


def predicted_chunks(item: LabeledUtterance, parse: ParseResult) -> set[Chunk]:
    if item.words is None:
        return {(s.name, s.start, s.end) for s in parse.slots}
    chunks = set()
    for slot in parse.slots:
        snapped = _snap(slot.start, slot.end, item.words)
        if snapped:
            chunks.add((slot.name, *snapped))
    return chunks


def score(data: Sequence[LabeledUtterance], parses: Sequence[ParseResult]) -> Scores:
    if len(data) != len(parses):
        raise ValueError("one parse per utterance expected")
    correct_intents = exact = tp = n_pred = n_gold = 0
    in_scope = in_scope_ok = oos = oos_caught = 0
    for item, parse in zip(data, parses, strict=True):
        gold, pred = gold_chunks(item), predicted_chunks(item, parse)
        intent_ok = parse.intent.name == item.intent
        correct_intents += intent_ok
        tp += len(gold & pred)
        n_pred += len(pred)
        n_gold += len(gold)
        exact += intent_ok and gold == pred
        if item.intent == OUT_OF_SCOPE:
            oos += 1
            oos_caught += parse.intent.name == OUT_OF_SCOPE
        else:
            in_scope += 1
            in_scope_ok += intent_ok
    n = max(len(data), 1)
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    if n_gold:
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(
        utterances=len(data),
        intent_accuracy=correct_intents / n,
        slot_precision=precision,
        slot_recall=recall,
        slot_f1=f1,
        exact_match=exact / n,
        in_scope_accuracy=in_scope_ok / in_scope if in_scope and oos else None,
        oos_recall=oos_caught / oos if oos else None,
    )

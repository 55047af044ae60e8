"""Choosing the out-of-scope confidence threshold, and the trade-off curve behind the choice.

A request is rejected when the model's best guess is ``oos`` or its best in-scope confidence is
below the threshold. Raising the threshold catches more out-of-scope requests and refuses more
good ones; we pick the point that maximises the mean of in-scope accuracy and out-of-scope recall.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.nlu.data import LabeledUtterance
from assistant.results import OUT_OF_SCOPE, ParseResult

GRID = tuple(round(0.05 * i, 2) for i in range(20))


@dataclass(frozen=True)
class CurvePoint:
    threshold: float
    in_scope_accuracy: float
    oos_recall: float

    @property
    def balanced(self) -> float:
        return (self.in_scope_accuracy + self.oos_recall) / 2


def predicted_intent(parse: ParseResult, threshold: float) -> str:
    """The decision at ``threshold`` for a parse made with threshold 0 (raw best guess kept)."""
    best = parse.alternatives[0] if parse.alternatives else parse.intent
    if best.name == OUT_OF_SCOPE or best.confidence < threshold:
        return OUT_OF_SCOPE
    return best.name


def curve(data: Sequence[LabeledUtterance], raw_parses: Sequence[ParseResult],
          grid: Sequence[float] = GRID) -> list[CurvePoint]:
    in_scope = [(d, p) for d, p in zip(data, raw_parses, strict=True) if d.intent != OUT_OF_SCOPE]
    oos = [p for d, p in zip(data, raw_parses, strict=True) if d.intent == OUT_OF_SCOPE]
    points = []
    for t in grid:
        acc = sum(predicted_intent(p, t) == d.intent for d, p in in_scope) / len(in_scope) if in_scope else 0.0
        rec = sum(predicted_intent(p, t) == OUT_OF_SCOPE for p in oos) / len(oos) if oos else 0.0
        points.append(CurvePoint(t, acc, rec))
    return points


def choose(points: Sequence[CurvePoint], default: float = 0.5) -> float:
    """The threshold with the best balanced score (the lowest one on ties)."""
    if not points:
        return default
    best = max(points, key=lambda p: (round(p.balanced, 6), -p.threshold))
    return best.threshold

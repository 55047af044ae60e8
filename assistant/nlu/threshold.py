"""Choosing the out-of-scope rule on validation data, and the trade-off curve behind the choice.

Raising the threshold catches more out-of-scope requests and refuses more good ones; for each
candidate score (:mod:`assistant.nlu.confidence`) we sweep thresholds over the score's observed
range and keep the point that maximises the mean of in-scope accuracy and out-of-scope recall.
Between near-equal rules the one that refuses fewer good requests wins: a wrongly refused request
annoys more than a rare out-of-scope one that slips through to a handler's honest answer.

Given a recall target instead, each score gets the lowest threshold that catches enough of the
validation's out-of-scope queries, and the score refusing the fewest good requests there wins.
"Enough" allows for a small validation split: the observed recall must be high enough that its
one-sided 95% Wilson lower bound reaches the target (on CLINC150's 100 validation out-of-scope
queries, 91 of them for a target of 85%).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from assistant.nlu.confidence import ENERGY, SOFTMAX, OosRule, fit_temperature, rejected, scores

CONFIDENCE_Z = 1.645
"""One-sided 95% normal quantile, for the lower bound on a recall measured on few examples."""
TIE = 0.005
"""Rules this close to the best balanced score count as tied; the one refusing fewer good requests wins."""


@dataclass(frozen=True)
class CurvePoint:
    threshold: float
    in_scope_accuracy: float
    oos_recall: float

    @property
    def balanced(self) -> float:
        return (self.in_scope_accuracy + self.oos_recall) / 2

    def to_json(self) -> list[float]:
        """[threshold, in-scope accuracy, out-of-scope recall], as cards and results record a curve."""
        return [round(self.threshold, 4), round(self.in_scope_accuracy, 4), round(self.oos_recall, 4)]


def curve(logits: np.ndarray, gold: np.ndarray, rule: OosRule, thresholds: np.ndarray | None = None,
          oos_index: int = 0) -> list[CurvePoint]:
    """In-scope accuracy and out-of-scope recall at each threshold, for the rule's score."""
    if thresholds is None:
        thresholds = candidate_thresholds(logits, rule, oos_index)
    predicted = logits.argmax(axis=-1)
    in_scope = gold != oos_index
    points = []
    for t in thresholds:
        reject = rejected(logits, OosRule(rule.method, rule.temperature, float(t)), oos_index)
        accuracy = float(((predicted == gold) & ~reject)[in_scope].mean()) if in_scope.any() else 0.0
        recall = float(reject[~in_scope].mean()) if (~in_scope).any() else 0.0
        points.append(CurvePoint(float(t), accuracy, recall))
    return points


def candidate_thresholds(logits: np.ndarray, rule: OosRule, oos_index: int = 0, count: int = 41) -> np.ndarray:
    if rule.method == SOFTMAX:
        return np.round(np.linspace(0.0, 0.99, 34), 3)
    values = scores(logits, rule.method, rule.temperature, oos_index)
    return np.round(np.quantile(values, np.linspace(0.0, 0.6, count)), 4)


def best_point(points: list[CurvePoint]) -> CurvePoint:
    """The best balanced point (the lowest threshold on ties)."""
    return max(points, key=lambda p: (round(p.balanced, 6), -p.threshold))


def accepting(rule: OosRule, logits: np.ndarray, gold: np.ndarray, oos_index: int = 0) -> OosRule:
    """``rule`` with its threshold lowered just enough that no example the model classifies right
    is refused. Used for the plugins' own examples: a threshold chosen on a small validation split
    can land above the confidence of a short declared phrasing ("ciao"), and an assistant that
    refuses what its plugins literally declare is broken, whatever the validation curve says."""
    right = (logits.argmax(axis=-1) == gold) & (gold != oos_index)
    if not right.any():
        return rule
    lowest = float(scores(logits, rule.method, rule.temperature, oos_index)[right].min())
    if lowest >= rule.threshold:
        return rule
    return OosRule(rule.method, rule.temperature, math.floor(lowest * 10_000) / 10_000)


def wilson_lower(hits: int, count: int, z: float = CONFIDENCE_Z) -> float:
    """Lower end of the Wilson score interval for a proportion of ``hits`` out of ``count``."""
    if count == 0:
        return 0.0
    p, z2 = hits / count, z * z
    centre = p + z2 / (2 * count)
    spread = z * math.sqrt(p * (1 - p) / count + z2 / (4 * count * count))
    return (centre - spread) / (1 + z2 / count)


def required_recall(target: float, count: int) -> float:
    """The smallest recall observed on ``count`` out-of-scope examples that vouches for ``target``."""
    hits = next((k for k in range(count + 1) if wilson_lower(k, count) >= target), count)
    return hits / count


def threshold_for_recall(logits: np.ndarray, gold: np.ndarray, rule: OosRule, recall: float,
                         oos_index: int = 0) -> float:
    """The lowest threshold (to 1e-4) under ``rule``'s score that rejects at least ``recall`` of the
    out-of-scope rows; rows the model already classifies as ``oos`` count without any threshold."""
    values = scores(logits, rule.method, rule.temperature, oos_index)
    outside = gold == oos_index
    classified = logits.argmax(axis=-1) == oos_index
    needed = math.ceil(recall * int(outside.sum()) - 1e-9) - int(classified[outside].sum())
    if needed <= 0:
        return math.floor(float(values.min()) * 10_000) / 10_000
    last = float(np.sort(values[outside & ~classified])[needed - 1])
    threshold = round(math.floor(last * 10_000) / 10_000 + 1e-4, 4)
    return threshold if threshold > last else round(threshold + 1e-4, 4)


def choose_rule(logits: np.ndarray, gold: np.ndarray, oos_index: int = 0, fixed: float | None = None,
                recall: float | None = None) -> tuple[OosRule, dict[str, object]]:
    """The rule to ship, and what every candidate scored on the validation data: the best balanced
    rule, or with ``recall`` the rule that keeps that out-of-scope recall refusing the fewest good
    requests."""
    if fixed is not None:
        return OosRule(SOFTMAX, 1.0, fixed), {"fixed_threshold": fixed}
    temperature = fit_temperature(logits, gold)
    candidates = [OosRule(SOFTMAX, 1.0), OosRule(SOFTMAX, temperature), OosRule(ENERGY, 1.0),
                  OosRule(ENERGY, temperature)]
    if recall is not None:
        rule, tried_for_recall = _rule_for_recall(logits, gold, oos_index, candidates, recall)
        return rule, {"fitted_temperature": temperature, **tried_for_recall}
    scored, tried = _at_points(candidates, lambda c: best_point(curve(logits, gold, c, oos_index=oos_index)))
    top = max(point.balanced for point, _ in scored)
    near = [(point, rule) for point, rule in scored if point.balanced >= top - TIE]
    best = max(near, key=lambda pr: (pr[0].in_scope_accuracy, pr[0].balanced))[1]
    return best, {"fitted_temperature": temperature, "candidates": tried, "tie_margin": TIE}


def _rule_for_recall(logits: np.ndarray, gold: np.ndarray, oos_index: int, candidates: list[OosRule],
                     target: float) -> tuple[OosRule, dict[str, object]]:
    count = int((gold == oos_index).sum())
    if count == 0:
        raise ValueError("an out-of-scope recall target needs out-of-scope examples in the held-out split")
    observed = required_recall(target, count)

    def lowest_enough(candidate: OosRule) -> CurvePoint:
        threshold = threshold_for_recall(logits, gold, candidate, observed, oos_index)
        return curve(logits, gold, candidate, np.array([threshold]), oos_index)[0]

    scored, tried = _at_points(candidates, lowest_enough)
    best = max(scored, key=lambda pr: (pr[0].in_scope_accuracy, pr[0].oos_recall))[1]
    return best, {"candidates": tried, "recall_target": target, "oos_examples": count,
                  "required_recall": round(observed, 4)}


def _at_points(candidates: list[OosRule], point_of: Callable[[OosRule], CurvePoint],
               ) -> tuple[list[tuple[CurvePoint, OosRule]], list[dict[str, object]]]:
    """Each candidate score with the threshold ``point_of`` picks for it, and the card's record of them."""
    points = [point_of(candidate) for candidate in candidates]
    scored = [(point, OosRule(candidate.method, candidate.temperature, point.threshold))
              for candidate, point in zip(candidates, points, strict=True)]
    tried: list[dict[str, object]] = [{**rule.to_json(), "in_scope_accuracy": round(point.in_scope_accuracy, 4),
                                       "oos_recall": round(point.oos_recall, 4)} for point, rule in scored]
    return scored, tried

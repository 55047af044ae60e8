"""Choosing the out-of-scope rule on validation data, and the trade-off curve behind the choice.

Raising the threshold catches more out-of-scope requests and refuses more good ones; for each
candidate score (:mod:`assistant.nlu.confidence`) we sweep thresholds over the score's observed
range and keep the point that maximises the mean of in-scope accuracy and out-of-scope recall.
Between near-equal rules the one that refuses fewer good requests wins: a wrongly refused request
annoys more than a rare out-of-scope one that slips through to a handler's honest answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from assistant.nlu.confidence import ENERGY, SOFTMAX, OosRule, fit_temperature, rejected, scores

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


def choose_rule(logits: np.ndarray, gold: np.ndarray, oos_index: int = 0, fixed: float | None = None,
                ) -> tuple[OosRule, dict[str, object]]:
    """The rule to ship, and what every candidate scored on the validation data."""
    if fixed is not None:
        return OosRule(SOFTMAX, 1.0, fixed), {"fixed_threshold": fixed}
    temperature = fit_temperature(logits, gold)
    candidates = [OosRule(SOFTMAX, 1.0), OosRule(SOFTMAX, temperature), OosRule(ENERGY, 1.0),
                  OosRule(ENERGY, temperature)]
    tried: list[dict[str, object]] = []
    scored: list[tuple[CurvePoint, OosRule]] = []
    for candidate in candidates:
        point = best_point(curve(logits, gold, candidate, oos_index=oos_index))
        chosen = OosRule(candidate.method, candidate.temperature, point.threshold)
        tried.append({**chosen.to_json(), "in_scope_accuracy": round(point.in_scope_accuracy, 4),
                      "oos_recall": round(point.oos_recall, 4)})
        scored.append((point, chosen))
    top = max(point.balanced for point, _ in scored)
    near = [(point, rule) for point, rule in scored if point.balanced >= top - TIE]
    best = max(near, key=lambda pr: (pr[0].in_scope_accuracy, pr[0].balanced))[1]
    return best, {"fitted_temperature": temperature, "candidates": tried, "tie_margin": TIE}

"""How sure the model is that a request is in scope, and the rule that turns that into "oos".

Two scores are compared on the validation data, each with and without temperature scaling
(Guo et al. 2017): the maximum softmax probability, and the energy score (Liu et al. 2020), the
temperature times the log-sum-exp of the in-scope logits. A request is out of scope when the
model's best class is ``oos`` or its score is below the threshold. The rule that separates best
on validation (mean of in-scope accuracy and out-of-scope recall), or the one that keeps a given
out-of-scope recall there (:mod:`assistant.nlu.threshold`), goes into the model card.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

SOFTMAX = "softmax"
ENERGY = "energy"


@dataclass(frozen=True)
class OosRule:
    method: str = SOFTMAX
    temperature: float = 1.0
    threshold: float = 0.5

    def to_json(self) -> dict[str, object]:
        return {"method": self.method, "temperature": self.temperature, "threshold": self.threshold}


def probabilities(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    scaled = logits / temperature
    shifted = scaled - scaled.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    result: np.ndarray = exp / exp.sum(axis=-1, keepdims=True)
    return result


def scores(logits: np.ndarray, method: str, temperature: float, oos_index: int = 0) -> np.ndarray:
    """In-scope score per row of ``logits`` [n, intents] (higher = more surely in scope)."""
    if method == SOFTMAX:
        result: np.ndarray = probabilities(logits, temperature).max(axis=-1)
        return result
    in_scope = np.delete(logits, oos_index, axis=-1) / temperature
    top = in_scope.max(axis=-1, keepdims=True)
    energy: np.ndarray = temperature * (top[:, 0] + np.log(np.exp(in_scope - top).sum(axis=-1)))
    return energy


def fit_temperature(logits: np.ndarray, gold: np.ndarray, grid: Sequence[float] | None = None) -> float:
    """The temperature that minimises the validation negative log-likelihood."""
    grid = grid or [round(0.5 + 0.1 * i, 1) for i in range(46)]  # 0.5 .. 5.0
    best, best_nll = 1.0, float("inf")
    for t in grid:
        p = probabilities(logits, t)[np.arange(len(gold)), gold]
        nll = float(-np.log(np.clip(p, 1e-12, None)).mean())
        if nll < best_nll:
            best, best_nll = t, nll
    return best


def rejected(logits: np.ndarray, rule: OosRule, oos_index: int = 0) -> np.ndarray:
    """Boolean per row: is it out of scope under ``rule``?"""
    return (logits.argmax(axis=-1) == oos_index) | (scores(logits, rule.method, rule.temperature, oos_index)
                                                     < rule.threshold)

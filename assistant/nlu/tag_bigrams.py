"""How often one slot tag follows another in the training data: a prior for the Viterbi pass.

The tagger scores every word on its own, so it can split one span in two ("this | tuesday" as two
time ranges) where the training data never does. Adding a score for each pair of neighbouring
tags, counted on the training split, keeps such spans whole. The per-word scores are posteriors
that already hold each tag's own frequency, so the pair score is the pointwise mutual information
log P(next | previous) / P(next), as hybrid HMM decoders divide posteriors by priors. It is scaled
by a weight chosen on the validation split; 0 turns the prior off.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

import numpy as np

SMOOTHING = 0.1
"""Added to every pair's count, so a pair never seen in training is unlikely, not impossible."""
WEIGHTS = (0.0, 0.25, 0.5, 1.0)
"""The weights tried on the validation split."""


def pair_key(previous: str, following: str) -> str:
    """A tag pair as the model card keys it: "previous next" (tags never contain spaces), one line each."""
    return f"{previous} {following}"


def parse_pair_key(key: object) -> tuple[str, str]:
    """The pair of a :func:`pair_key`; ValueError when it is not two tags."""
    previous, following = str(key).split(" ")
    return previous, following


def pair_matrix(pairs: Mapping[tuple[str, str], float], tags: Sequence[str]) -> np.ndarray:
    """``[previous, next]`` values of ``pairs`` over ``tags`` by name; 0 for pairs not listed, and pairs
    of tags not in ``tags`` left out."""
    index = {tag: i for i, tag in enumerate(tags)}
    result = np.zeros((len(tags), len(tags)))
    for (previous, following), value in pairs.items():
        if previous in index and following in index:
            result[index[previous], index[following]] = value
    return result


@dataclass(frozen=True)
class TagBigrams:
    counts: Mapping[tuple[str, str], int] = field(default_factory=dict)
    """(previous tag, next tag) -> how often the pair occurs in the training split."""
    weight: float = 0.0

    @classmethod
    def count(cls, sequences: Iterable[Sequence[str]], weight: float = 0.0) -> TagBigrams:
        pairs: Counter[tuple[str, str]] = Counter()
        for tags in sequences:
            pairs.update(pairwise(tags))
        return cls(dict(pairs), weight)

    def with_weight(self, weight: float) -> TagBigrams:
        return replace(self, weight=weight)

    def scores(self, tags: Sequence[str]) -> np.ndarray:
        """``[previous, next]`` pair scores over ``tags``: weight × PMI (zeros when the weight is 0)."""
        n = len(tags)
        if self.weight == 0.0 or not self.counts:
            return np.zeros((n, n))
        counts = SMOOTHING + pair_matrix(self.counts, tags)
        conditional = counts / counts.sum(axis=1, keepdims=True)
        marginal = counts.sum(axis=0) / counts.sum()
        result: np.ndarray = self.weight * (np.log(conditional) - np.log(marginal)[None, :])
        return result

    def to_json(self) -> dict[str, Any]:
        """Pairs as :func:`pair_key` keys: one line each in the card."""
        return {"weight": self.weight, "counts": {pair_key(a, b): n for (a, b), n in sorted(self.counts.items())}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TagBigrams:
        counts: dict[tuple[str, str], int] = {}
        for pair, number in dict(data.get("counts", {})).items():
            previous, following = parse_pair_key(pair)
            counts[previous, following] = int(number)
            if counts[previous, following] < 0:
                raise ValueError(f"tag pair {pair!r}: counts must not be negative")
        return cls(counts, float(data.get("weight", 0.0)))

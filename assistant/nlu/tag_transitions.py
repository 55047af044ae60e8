"""Tag-pair scores a CRF learned with the tagger (``assistant train --crf``), as the model card keeps them.

The decoder's Viterbi pass adds them to the per-word scores, beside the BIO constraints and the
counted tag-pair prior (:mod:`.tag_bigrams`). Pairs are keyed by tag name, so the scores stay right
whatever order a label set lists its tags in; a pair the card does not list scores 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.nlu.tag_bigrams import pair_key, pair_matrix, parse_pair_key

DIGITS = 4
"""Decimals kept in the card: far below what moves a Viterbi path."""


@dataclass(frozen=True)
class TagTransitions:
    scores: Mapping[tuple[str, str], float] = field(default_factory=dict)
    """(previous tag, next tag) -> learned score."""

    @classmethod
    def from_matrix(cls, tags: Sequence[str], matrix: np.ndarray, allowed: np.ndarray) -> TagTransitions:
        """The pairs ``allowed`` marks (the others the decoder bars anyway) whose scores round to non-zero."""
        if matrix.shape != (len(tags), len(tags)) or allowed.shape != matrix.shape:
            raise ValueError(f"a {len(tags)} x {len(tags)} matrix expected, got {matrix.shape}")
        scores = {(tags[i], tags[j]): round(float(matrix[i, j]), DIGITS)
                  for i, j in zip(*np.nonzero(allowed), strict=True)}
        return cls({pair: value for pair, value in scores.items() if value != 0.0})

    def matrix(self, tags: Sequence[str]) -> np.ndarray:
        """``[previous, next]`` scores over ``tags``."""
        return pair_matrix(self.scores, tags)

    def to_json(self) -> dict[str, float]:
        """One :func:`~assistant.nlu.tag_bigrams.pair_key` per pair, as the tag-pair counts."""
        return {pair_key(a, b): value for (a, b), value in sorted(self.scores.items())}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TagTransitions:
        scores: dict[tuple[str, str], float] = {}
        for pair, value in data.items():
            previous, following = parse_pair_key(pair)
            scores[previous, following] = float(value)
            if not np.isfinite(scores[previous, following]):
                raise ValueError(f"tag pair {pair!r}: the score must be a finite number")
        return cls(scores)

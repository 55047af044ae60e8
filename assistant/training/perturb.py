"""Perturbed copies: sentences near the training ones that only the teachers label.

Distillation shows the student the teacher's answers on the training sentences alone, so it learns
nothing of what the teacher says off them, and that is where out-of-scope queries lie. Following
Tang et al. (2019, "Distilling Task-Specific Knowledge from BERT into Simple Neural Networks"),
each copy changes a sentence at random: every word is swapped, with probability ``SWAP``, for a
word drawn from the training sentences in proportion to its count (the paper masks 10 % of the
words and swaps 10 % for words of the same part of speech; the product has neither a mask token at
inference nor a tagger, so one swap at 20 % stands for both); then, with probability ``NGRAM``,
only a random run of one to five of its words is kept. A copy equal to its sentence is drawn again.
The copies have no gold labels: the student learns their intents, and the tags of their words'
first sub-words, from the teacher's soft targets alone (TinyBERT, Jiao et al. 2020, distils on
augmented sentences the same way); the gold terms see real sentences only.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

SWAP = 0.2
NGRAM = 0.25
LONGEST_NGRAM = 5
DRAWS = 10
"""Tries for a copy unlike its sentence; a one-word sentence whose word is the only one can have none."""


def perturbed_copies(texts: Sequence[str], copies: int, seed: int) -> list[str]:
    """``copies`` perturbed versions of each text (each text's copies together, in order), drawn
    with ``seed``; a text no draw changes gets none."""
    counts = Counter(word for text in texts for word in text.split())
    words, weights = list(counts), list(counts.values())
    rng = random.Random(seed)
    out = []
    for text in texts:
        original = text.split()
        for _ in range(copies):
            for _ in range(DRAWS):
                copy = _perturbed(original, words, weights, rng)
                if copy and copy != original:
                    out.append(" ".join(copy))
                    break
    return out


def _perturbed(original: list[str], words: list[str], weights: list[int], rng: random.Random) -> list[str]:
    copy = [rng.choices(words, weights)[0] if rng.random() < SWAP else word for word in original]
    if copy and rng.random() < NGRAM:
        length = rng.randint(1, min(LONGEST_NGRAM, len(copy)))
        start = rng.randint(0, len(copy) - length)
        copy = copy[start : start + length]
    return copy

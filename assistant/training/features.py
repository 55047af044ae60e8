"""Labelled utterances -> token ids, intent index and per-token tag ids (first sub-word labelling)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from assistant.nlu.data import LabeledUtterance
from assistant.nlu.encoding import TextEncoder
from assistant.nlu.labels import OUTSIDE, LabelSet

IGNORE = -100


@dataclass(frozen=True)
class Features:
    input_ids: np.ndarray
    intent: int
    tags: np.ndarray
    """Tag id at each word's first sub-word, IGNORE elsewhere (specials, later sub-words)."""
    words: np.ndarray | None = None
    """Where an example without gold tags has a word's first sub-word (a boolean mask), so that the
    teacher's slot targets still teach there; None when ``tags`` mark those positions."""

    def first_subwords(self) -> np.ndarray:
        """Where the teacher's slot targets teach: the gold-tagged positions, or ``words`` for a copy."""
        return self.tags != IGNORE if self.words is None else self.words


def word_tags(item: LabeledUtterance, word_spans: Sequence[tuple[int, int]]) -> list[str]:
    """BIO tag of each word: a word belongs to a span when it starts inside it."""
    tags = []
    previous: object = None
    for start, _ in word_spans:
        span = next((s for s in item.spans if s.start <= start < s.end), None)
        if span is None:
            tags.append(OUTSIDE)
        else:
            tags.append(("I-" if span is previous else "B-") + span.slot)
        previous = span
    return tags


def featurize(data: Sequence[LabeledUtterance], encoder: TextEncoder, labels: LabelSet) -> list[Features]:
    tag_index = {t: i for i, t in enumerate(labels.slot_tags)}
    intent_index = {n: i for i, n in enumerate(labels.intents)}
    out = []
    for item in data:
        encoded = encoder.encode(item.text)
        tags = np.full(len(encoded.input_ids), IGNORE, dtype=np.int64)
        for position, tag in zip(encoded.word_first_token, word_tags(item, encoded.word_spans), strict=True):
            tags[position] = tag_index.get(tag, 0)
        out.append(Features(encoded.input_ids, intent_index[item.intent], tags))
    return out


def unlabelled(texts: Sequence[str], encoder: TextEncoder) -> list[Features]:
    """Examples without gold labels (intent and every tag IGNORE): only soft targets teach them."""
    out = []
    for text in texts:
        encoded = encoder.encode(text)
        words = np.zeros(len(encoded.input_ids), dtype=bool)
        words[list(encoded.word_first_token)] = True
        out.append(Features(encoded.input_ids, IGNORE, np.full(len(words), IGNORE, dtype=np.int64), words))
    return out


@dataclass(frozen=True)
class Batch:
    input_ids: torch.Tensor
    attention_mask: torch.Tensor
    intents: torch.Tensor
    tags: torch.Tensor
    indices: list[int]
    words: torch.Tensor
    """Each word's first sub-word, gold-tagged or not: where the slot soft targets apply."""


def collate(features: Sequence[Features], indices: Sequence[int]) -> Batch:
    width = max(len(features[i].input_ids) for i in indices)
    ids = torch.zeros((len(indices), width), dtype=torch.long)
    mask = torch.zeros_like(ids)
    tags = torch.full_like(ids, IGNORE)
    words = torch.zeros_like(ids, dtype=torch.bool)
    for row, i in enumerate(indices):
        n = len(features[i].input_ids)
        ids[row, :n] = torch.from_numpy(features[i].input_ids)
        mask[row, :n] = 1
        tags[row, :n] = torch.from_numpy(features[i].tags)
        words[row, :n] = torch.from_numpy(features[i].first_subwords())
    intents = torch.tensor([features[i].intent for i in indices], dtype=torch.long)
    return Batch(ids, mask, intents, tags, list(indices), words)


def by_length(features: Sequence[Features], batch_size: int) -> Iterator[Batch]:
    """Inference batches of examples of similar length, so little is padding; each batch's
    ``indices`` say which example each row is."""
    order = sorted(range(len(features)), key=lambda i: len(features[i].input_ids))
    for start in range(0, len(order), batch_size):
        yield collate(features, order[start : start + batch_size])

"""Turning text into model inputs while remembering where every word sits in the original text.

Words are what the tokenizer's pre-tokenizer yields (whitespace and punctuation split); the model
tags the first sub-word of each word. Offsets come from ``tokenizers`` and index the caller's
original string, so highlighting stays exact with capitals, accents and extra spaces.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer


@dataclass(frozen=True)
class Encoded:
    input_ids: np.ndarray
    """int64 [sequence], with [CLS] and [SEP]."""
    word_spans: tuple[tuple[int, int], ...]
    """Character span of each word in the original text."""
    word_first_token: tuple[int, ...]
    """Index in ``input_ids`` of each word's first sub-word."""
    truncated_at: int | None
    """Character offset where the text was cut to fit, or None."""


class TextEncoder:
    def __init__(self, tokenizer: Tokenizer, max_tokens: int) -> None:
        self.tokenizer = tokenizer
        self.max_tokens = max_tokens
        tokenizer.enable_truncation(max_length=max_tokens)
        tokenizer.no_padding()

    @classmethod
    def from_file(cls, path: Path, max_tokens: int) -> TextEncoder:
        return cls(Tokenizer.from_file(str(path)), max_tokens)

    def encode(self, text: str) -> Encoded:
        enc = self.tokenizer.encode(text)
        spans: list[tuple[int, int]] = []
        firsts: list[int] = []
        last_word: int | None = None
        for position, (word, (start, end)) in enumerate(zip(enc.word_ids, enc.offsets, strict=True)):
            if word is None:
                continue
            if word != last_word:
                spans.append((start, end))
                firsts.append(position)
                last_word = word
            else:
                spans[-1] = (spans[-1][0], end)
        truncated_at = None
        if enc.overflowing:
            truncated_at = spans[-1][1] if spans else 0
            if len(spans) > 1 and _word_continues(enc.overflowing[0], last_word):
                # the last kept word was cut in the middle: drop it rather than tag half a word
                spans.pop()
                firsts.pop()
                truncated_at = spans[-1][1]
        return Encoded(np.asarray(enc.ids, dtype=np.int64), tuple(spans), tuple(firsts), truncated_at)


def _word_continues(overflow: object, last_word: int | None) -> bool:
    word_ids = getattr(overflow, "word_ids", [])
    first = next((w for w in word_ids if w is not None), None)
    return first is not None and first == last_word

"""Checking what the user typed or said before it reaches the model."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

MAX_CHARS = 20_000
"""Longer input is cut before tokenizing; the model reads far less anyway."""


@dataclass(frozen=True)
class CheckedInput:
    text: str
    problem: str | None = None
    """Why there is nothing to understand (empty, no words); None when the text can be parsed."""
    notes: tuple[str, ...] = ()


def check(text: str) -> CheckedInput:
    notes: list[str] = []
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        notes.append(f"Your message was very long; I only read the first {MAX_CHARS:,} characters.")
    if not text.strip():
        return CheckedInput(text, "I didn't get any words. Try typing a request, like “what time is it”.")
    if not any(unicodedata.category(ch)[0] in "LN" for ch in text):
        return CheckedInput(text, "I can only understand words, not only symbols or emoji. "
                                  "Try a request like “set a timer for five minutes”.")
    if not any("a" <= ch.lower() <= "z" for ch in text):
        notes.append("I only understand English so far.")
    return CheckedInput(text, None, tuple(notes))

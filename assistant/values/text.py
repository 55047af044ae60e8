"""Free text slots ("buy more coffee filters"): the words as said, without stray spacing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.errors import ValueParseError

if TYPE_CHECKING:
    from assistant.values import ValueContext


def parse(raw: str, context: ValueContext) -> str:
    """The words with surrounding and repeated whitespace removed; case and punctuation kept."""
    words = " ".join(raw.split())
    if not words:
        raise ValueParseError("no words were given")
    return words


def to_json(value: str) -> str:
    """Text is already JSON."""
    return value


def describe(value: str) -> str:
    """Text is said back as it was said."""
    return value

"""Number slots: digits ("2", "2.5", "1,000", "-3"), spelled numbers ("twenty five", "two point five",
"one hundred and five") and the everyday amounts people say: "a"/"an" (1), "a couple" (2),
"a dozen" (12), "half a dozen", "half" (0.5), "a quarter", "three quarters", "three and a half",
"one and a quarter", "two dozen", "1.5 million".
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from assistant.errors import ValueParseError
from assistant.values._words import (
    format_number,
    is_digits,
    read_digits,
    spelled_to_digits,
    tidy,
    whole_if_possible,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from assistant.values import ValueContext

_PHRASES: dict[str, float] = {
    "a": 1, "an": 1,
    "a couple": 2, "couple": 2, "a pair": 2,
    "a dozen": 12, "dozen": 12, "half a dozen": 6,
    "half": 0.5, "a half": 0.5,
    "quarter": 0.25, "a quarter": 0.25,
}
"""Amounts said with words text_to_num leaves alone (it reads "twenty five", not "a dozen")."""

_FRACTION_WORDS = {"half": 0.5, "halves": 0.5, "quarter": 0.25, "quarters": 0.25}
_SCALES = frozenset({100, 1000, 10**6, 10**9, 10**12})
"""Spelled scales text_to_num writes as digits on their own: "1.5 million" -> "1.5 1000000"."""
_NEGATIVE = frozenset({"minus", "negative"})
_DANGLING = frozenset({"of", "a", "an"})
"""Words that end an amount in speech but add nothing: "a couple of", "half a"."""


def parse(raw: str, context: ValueContext) -> int | float:
    """The number the words say: an int when whole, else a float."""
    return read_number(raw)


def to_json(value: float) -> int | float:
    """Numbers are JSON as they are (whole floats as ints)."""
    return whole_if_possible(value)


def describe(value: float) -> str:
    """"12", "2.5"."""
    return format_number(value)


def read_number(text: str) -> int | float:
    """The number in ``text``; the other value types use this for their amounts."""
    words = spelled_to_digits(tidy(text)).split()
    sign = 1
    if len(words) > 1 and words[0] in _NEGATIVE:
        sign, words = -1, words[1:]
    value = _amount(words, text)
    if not math.isfinite(value) or abs(value) > 1e100:
        raise ValueParseError(f"{text.strip()!r} is too big a number")
    return whole_if_possible(sign * value)


def _amount(words: Sequence[str], text: str) -> float:
    """An unsigned amount: a number, a known phrase, a whole and a fraction, or number x scale."""
    while len(words) > 1 and words[-1] in _DANGLING:
        words = words[:-1]
    phrase = " ".join(words)
    if phrase in _PHRASES:
        return _PHRASES[phrase]
    if "and" in words[1:]:
        split = words.index("and", 1)
        return _amount(words[:split], text) + _fraction(words[split + 1:], text)
    if len(words) == 1 and is_digits(words[0]):
        return read_digits(words[0])
    if len(words) == 2:
        return _two_words(words[0], words[1], text)
    raise ValueParseError(f"I couldn't read a number from {text.strip()!r}")


def _two_words(first: str, second: str, text: str) -> float:
    """"a 100", "3 quarters", "2 dozen", "1.5 1000000" (one and a half million)."""
    if first in ("a", "an") and is_digits(second):
        return read_digits(second)
    if is_digits(first):
        count = read_digits(first)
        if second in _FRACTION_WORDS:
            return count * _FRACTION_WORDS[second]
        if second == "dozen":
            return count * 12
        if is_digits(second) and read_digits(second) in _SCALES:
            return count * read_digits(second)
    raise ValueParseError(f"I couldn't read a number from {text.strip()!r}")


def _fraction(words: Sequence[str], text: str) -> float:
    """The part after "and" in "three and a half": a fraction below one."""
    value = _amount(words, text) if words else 0
    if not 0 < value < 1 or not set(words) & set(_FRACTION_WORDS):
        raise ValueParseError(f"I couldn't read a number from {text.strip()!r}")
    return value

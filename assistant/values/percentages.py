"""Percentage slots (volume, brightness): a number from 0 to 100.

"40 percent", "40%", "40 per cent", "forty", "40" and "0.4" (0.4 percent) are read as said. Bare
fractions in words mean a share of the whole: "half" = 50, "a quarter" = 25, "three quarters" = 75,
while "half a percent" stays 0.5. "max"/"maximum"/"full" = 100 and "off"/"zero"/"min" = 0.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.errors import ValueParseError
from assistant.values._words import format_number, tidy, whole_if_possible
from assistant.values.numbers import read_number

if TYPE_CHECKING:
    from assistant.values import ValueContext

_NAMED_LEVELS: dict[str, int] = {
    "max": 100, "maximum": 100, "full": 100, "full volume": 100, "all the way": 100,
    "all the way up": 100, "full blast": 100,
    "off": 0, "zero": 0, "min": 0, "minimum": 0, "nothing": 0, "none": 0,
    "halfway": 50, "half way": 50,
}
_PERCENT_SIGN = re.compile(r"\s*(?:%|percent|per cent|pct)$")
_LEADING_FILLERS = re.compile(r"^(?:to|at|about|around)\s+")


def parse(raw: str, context: ValueContext) -> int | float:
    """The percentage the words say, between 0 and 100."""
    text = _LEADING_FILLERS.sub("", tidy(raw))
    if text in _NAMED_LEVELS:
        return _NAMED_LEVELS[text]
    amount, said_percent = _PERCENT_SIGN.sub("", text), bool(_PERCENT_SIGN.search(text))
    if not amount:
        raise ValueParseError("say how many percent, like '40 percent'")
    value = read_number(amount)
    if not said_percent and _is_spoken_fraction(amount, value):
        value = whole_if_possible(value * 100)
    if not 0 <= value <= 100:
        raise ValueParseError(f"a percentage must be between 0 and 100, not {format_number(value)}")
    return value


def to_json(value: float) -> int | float:
    """The percentage as a number (40 for 40%)."""
    return whole_if_possible(value)


def describe(value: float) -> str:
    """"40%"."""
    return f"{format_number(value)}%"


def _is_spoken_fraction(amount: str, value: float) -> bool:
    """"half", "a quarter", "three quarters": a share of the whole, not a tiny percentage."""
    return 0 < value < 1 and not any(char.isdigit() for char in amount)

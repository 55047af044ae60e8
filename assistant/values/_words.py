"""Helpers the value parsers share: tidying spoken words, reading digits, saying numbers back."""

from __future__ import annotations

import math
import re

from assistant.errors import ValueParseError

_DIGITS = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[-+]?\.\d+")
"""A written number: "2", "-3", "2.5", ".5", "1,000" (commas only as thousands separators)."""
_LETTER_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")
_SPACES = re.compile(r"\s+")
_EDGE_PUNCTUATION = " \t\r\n.,!?;:\"'`“”‘’"
_LOOK_ALIKES = str.maketrans({"’": "'", "‘": "'", "–": "-", "—": "-", "−": "-"})


def tidy(raw: str) -> str:
    """Lower case, one space between words, no sentence punctuation at the ends.

    Hyphens between letters become spaces ("twenty-five" -> "twenty five") so spelled numbers
    and compound words read the same however the speech engine wrote them.
    """
    text = raw.translate(_LOOK_ALIKES).lower()
    text = _LETTER_HYPHEN.sub(" ", text)
    text = _SPACES.sub(" ", text).rstrip(_EDGE_PUNCTUATION)
    return text.lstrip(_EDGE_PUNCTUATION.replace(".", ""))  # keep the point of ".5"


def spelled_to_digits(text: str) -> str:
    """Write spelled numbers as digits ("twenty five" -> "25"), small ones included ("one" -> "1")."""
    from text_to_num import alpha2digit

    try:
        converted: str = alpha2digit(text, "en", threshold=0)
    except (ValueError, OverflowError):  # defensive: the library only rewrites what it recognises
        return text
    return converted


def is_digits(token: str) -> bool:
    """Whether ``token`` is a whole written number such as "2", "-3.5" or "1,000"."""
    return _DIGITS.fullmatch(token) is not None


def read_digits(token: str) -> int | float:
    """The value of a written number ("1,000" -> 1000, "2.50" -> 2.5); int when whole."""
    if not is_digits(token):
        raise ValueParseError(f"{token!r} is not a number")
    cleaned = token.replace(",", "")
    if "." not in cleaned:
        return int(cleaned)
    return whole_if_possible(float(cleaned))


def whole_if_possible(value: float) -> int | float:
    """An int for whole values that floats hold exactly, so "2.0" is said and stored as "2"."""
    if isinstance(value, int):
        return value
    if math.isfinite(value) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def format_number(value: float) -> str:
    """A number as the assistant says it: "12", "2.5", "0.333333" (at most 10 significant digits)."""
    value = whole_if_possible(value)
    if isinstance(value, int):
        return str(value)
    text = format(value, ".10g")
    if "e" in text:
        return repr(value)
    return text


def plural(count: float, noun: str) -> str:
    """"1 minute", "2 minutes", "1.5 hours": the count with the noun in the right form."""
    return f"{format_number(count)} {noun if count == 1 else noun + 's'}"

"""Duration slots ("8 minutes", "an hour and a half", "1h30m") as :class:`datetime.timedelta`.

A duration is one or more "<amount> <unit>" parts, summed: "1 hour 20 minutes", "3 minutes and
30 seconds". Amounts are anything :func:`assistant.values.numbers.read_number` reads ("two and a
half", "a quarter of an", "half a", "a couple of"); a unit on its own is one of it ("hour"), and
"and a half" after a unit adds half of that unit ("an hour and a half"). Compact forms ("4h", "10m",
"1h30m", "90s") and adjectives ("5 minute", "5-minute") work; a bare number after hours or minutes is
the next smaller unit ("1 hour 30", "2 minutes 30"). A leading "in"/"for"/"after" is dropped ("in 20
minutes"). Colon forms ("1:30") are refused as ambiguous (hours or minutes?). Months and years vary
in length and are not durations here. The total must be above zero and at most 366 days.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

from assistant.errors import ValueParseError
from assistant.values._words import plural, spelled_to_digits, tidy, whole_if_possible
from assistant.values.numbers import read_number

if TYPE_CHECKING:
    from assistant.values import ValueContext

_UNITS: dict[str, str] = {
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), "second"),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), "minute"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "hour"),
    **dict.fromkeys(("d", "day", "days"), "day"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "week"),
    **dict.fromkeys(("fortnight", "fortnights"), "fortnight"),
}
"""Every spoken or written unit word -> the time unit it names."""
_PLURAL_ONLY = frozenset({"secs", "seconds", "mins", "minutes", "hrs", "hours", "days", "wks", "weeks",
                          "fortnights"})
_NEXT_SMALLER = {"hour": "minute", "minute": "second"}

_UNIT_WORD = re.compile(r"\b(" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")\b")
_COMPACT = re.compile(r"(?<=\d)-?(?=[a-z])|(?<=[a-z])(?=\d)")
"""Where "4h", "1h30m" and "5-minute" need a space."""
_SECOND_WORD = re.compile(r"\bsecond(s?)\b")
"""text_to_num reads "thirty second" as "32nd"; "sec" keeps it a unit."""
_FRACTION_WORD = re.compile(r"\b(?:half|quarters?)\b")
_COLON_FORM = re.compile(r"\d\s*:\s*\d")
_LEADING = re.compile(r"^(?:(?:in|for|after|about|around|within)\s+)+")
_TRAILING = re.compile(r"\s+(?:from now|later)$")
_JOINERS = " ,"
_MAX = timedelta(days=366)


def parse(raw: str, context: ValueContext) -> timedelta:
    """The length of time the words say."""
    return read_duration(raw)


def to_json(value: timedelta) -> int | float:
    """Total seconds: an int when whole."""
    return whole_if_possible(value.total_seconds())


def describe(value: timedelta) -> str:
    """"8 minutes", "1 hour 30 minutes", "1 minute 30 seconds", "2 weeks", "1 day 2 hours"."""
    total = value.total_seconds()
    if total > 0 and total % (7 * 86400) == 0:
        return plural(total // (7 * 86400), "week")
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [plural(count, name) for count, name in
             ((days, "day"), (hours, "hour"), (minutes, "minute"), (round(seconds, 6), "second")) if count]
    return " ".join(parts) or "0 seconds"


def read_duration(text: str) -> timedelta:
    """The duration in ``text``; dates use this for "in two days" and "a week from now"."""
    words = _prepare(text)
    seconds = sum(_to_seconds(amount, unit) for amount, unit in _parts(words, text))
    if seconds <= 0:
        raise ValueParseError("a duration must be longer than zero")
    if seconds > _MAX.total_seconds():  # checked before timedelta, which overflows past 999 999 999 days
        raise ValueParseError("that's too long; durations can be up to 366 days")
    return timedelta(seconds=seconds)


def _prepare(text: str) -> str:
    """Tidy words with digits for numbers and a space between number and unit; colon forms refused."""
    words = tidy(text)
    if _COLON_FORM.search(words):
        raise ValueParseError("say durations with units, like '1 minute 30 seconds'")
    words = _COMPACT.sub(" ", words)
    words = spelled_to_digits(_SECOND_WORD.sub(r"sec\1", words))
    words = _TRAILING.sub("", _LEADING.sub("", words))
    return words


def _parts(words: str, text: str) -> list[tuple[float, str]]:
    """The (amount, unit) parts: "1 hour 20 minutes" -> [(1, "hour"), (20, "minute")]."""
    parts: list[tuple[float, str]] = []
    position = 0
    for match in _UNIT_WORD.finditer(words):
        before = _without_and(words[position:match.start()])
        parts.append((_amount(before, match.group(1)), _UNITS[match.group(1)]))
        position = match.end()
    tail = _without_and(words[position:])
    if not parts:
        raise ValueParseError(f"I couldn't read a duration from {text.strip()!r}; try '8 minutes'")
    if tail:
        parts.append(_tail_part(tail, parts[-1][1], text))
    return parts


def _amount(before: str, unit_word: str) -> float:
    """How many of the unit: the number before it, or one for a bare singular unit ("hour")."""
    if not before:
        if unit_word in _PLURAL_ONLY:
            raise ValueParseError(f"how many {unit_word}?")
        return 1
    amount = read_number(before)
    if amount < 0:
        raise ValueParseError("a duration can't be negative")
    return amount


def _tail_part(tail: str, last_unit: str, text: str) -> tuple[float, str]:
    """What follows the last unit: "and a half" of it, or a bare number of the next smaller unit."""
    if any(char.isdigit() for char in tail) and last_unit in _NEXT_SMALLER:
        return _amount(tail, ""), _NEXT_SMALLER[last_unit]
    fraction = read_number(tail) if _FRACTION_WORD.search(tail) else 0
    if not 0 < fraction < 1:
        raise ValueParseError(f"I couldn't read a duration from {text.strip()!r}; try '8 minutes'")
    return fraction, last_unit


def _without_and(words: str) -> str:
    """The words between units without the joining "and" or comma."""
    words = words.strip(_JOINERS)
    if words == "and" or words.startswith("and "):
        words = words[3:]
    return words.strip(_JOINERS)


_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86_400, "week": 604_800, "fortnight": 1_209_600}
"""Exact by definition; building a pint registry (~0.5 s) for these would slow the first timer request."""


def _to_seconds(amount: float, unit: str) -> float:
    return amount * _SECONDS[unit]


"""Time-of-day slots ("6:30", "seven pm", "half past eight", "noon") as :class:`datetime.time`.

Forms: digits ("6:30", "6.30pm", "18:45", "0730", "1900 hours"), spoken clock readings ("seven",
"seven o'clock", "eight thirty", "six forty five", "seven oh five"), relative readings ("half past
eight", "quarter past nine", "quarter to seven", "ten to six", "twenty past 4", British "half
eight"), "noon"/"midday"/"midnight", each optionally followed by a period: "am"/"pm", "in the
morning" (am), "in the afternoon"/"in the evening"/"tonight" (pm), "at night" (pm from 6 to 11,
am from 1 to 5, "12 at night" is midnight).

Without a period the hour stays as said: "seven" is 07:00 and "18:45" is 18:45; whoever uses the
time (the alarm handler) decides which occurrence is meant.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time
from typing import TYPE_CHECKING

from assistant.errors import ValueParseError
from assistant.values._words import spelled_to_digits, tidy

if TYPE_CHECKING:
    from assistant.values import ValueContext


@dataclass(frozen=True)
class _Reading:
    """A clock reading before am/pm: ``twelve_hour`` when the hour was said on a 1-12 clock."""

    hour: int
    minute: int
    twelve_hour: bool


_AM_PM = re.compile(r"\b([ap])\s?\.?\s?m\b\.?")
_OCLOCK = re.compile(r"\bo\s?'?\s?clock\b")
_NUMBER_THEN_LETTER = re.compile(r"(?<=\d)(?=[a-z])")
_LEADING = re.compile(r"^(?:(?:at|around|about|by|for)\s+)+")
_PERIOD = re.compile(
    r"\s*\b(?P<period>am|pm|(?:in the |this )?(?:morning|afternoon|evening)|tonight|(?:at|in the) night)$")
_PERIOD_KIND = {"am": "am", "morning": "am", "pm": "pm", "afternoon": "pm", "evening": "pm",
                "tonight": "pm", "night": "night"}
_NAMED = {"noon": _Reading(12, 0, False), "midday": _Reading(12, 0, False),
          "12 noon": _Reading(12, 0, False), "midnight": _Reading(0, 0, False),
          "12 midnight": _Reading(0, 0, False)}

_RELATIVE = re.compile(
    r"^(?P<minutes>\d+|a quarter|quarter|half)(?: minutes?)? (?P<direction>past|after|to|till|before|of) "
    r"(?P<hour>\d+|noon|midnight)$")
""""ten to six", "quarter past 9", "half past eight", "20 minutes after 4"."""
_BRITISH_HALF = re.compile(r"^half (?P<hour>\d{1,2})$")
""""half eight" = 8:30."""
_SEPARATED = re.compile(r"^(?P<hour>\d{1,2})(?:[:.]| )(?P<minute>\d{2})(?: hours)?$")
""""6:30", "6.30", "8 30" (spoken "eight thirty")."""
_OH_MINUTE = re.compile(r"^(?P<hour>\d{1,2}) (?:oh|o|0) (?P<minute>\d)$")
""""7 oh 5" (spoken "seven oh five")."""
_HOUR_ONLY = re.compile(r"^(?P<hour>\d{1,2})(?: oclock| hundred(?: hours)?| hours)?$")
""""7", "7 o'clock", "19 hundred hours"."""
_MILITARY = re.compile(r"^(?P<hour>\d{1,2})(?P<minute>\d{2})(?: hours| h| hrs)?$")
""""0730", "1845", "1900 hours"."""


def parse(raw: str, context: ValueContext) -> time:
    """The wall-clock time the words say (hour and minute)."""
    body, period = _split_period(_prepare(raw))
    if body in _NAMED:  # "noon", "midnight tonight": the name says it all
        return time(_NAMED[body].hour, _NAMED[body].minute)
    reading = _read_clock(body, raw)
    return time(_apply_period(reading, period), reading.minute)


def to_json(value: time) -> str:
    """"HH:MM" on a 24-hour clock."""
    return f"{value.hour:02d}:{value.minute:02d}"


def describe(value: time) -> str:
    """"6:30 AM", "7 PM", "12 PM" (noon), "12 AM" (midnight)."""
    suffix = "AM" if value.hour < 12 else "PM"
    hour = value.hour % 12 or 12
    return f"{hour} {suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d} {suffix}"


def _prepare(raw: str) -> str:
    """Tidy words, "am"/"pm" and "o'clock" in one spelling, digits for numbers, no leading "at"."""
    text = _OCLOCK.sub("oclock", tidy(raw))
    text = _AM_PM.sub(r"\1m", _NUMBER_THEN_LETTER.sub(" ", text))
    return _LEADING.sub("", spelled_to_digits(text)).strip()


def _split_period(text: str) -> tuple[str, str | None]:
    """The clock words and the period said after them ("am", "pm", "night" or None)."""
    match = _PERIOD.search(text)
    if not match or match.start() == 0:
        return text, None
    period_words = match.group("period").split()
    return text[: match.start()].strip(), _PERIOD_KIND[period_words[-1]]


def _read_clock(body: str, raw: str) -> _Reading:
    """The reading the first fitting form gives; an error when none fits."""
    for pattern, reader in _FORMS:
        match = pattern.match(body)
        if match:
            return reader(match)
    raise ValueParseError(f"I couldn't read a time from {raw.strip()!r}; try '6:30 pm'")


def _relative(match: re.Match[str]) -> _Reading:
    """"ten to six" = 5:50, "quarter past nine" = 9:15; "half" only goes "past"."""
    said_minutes = {"a quarter": 15, "quarter": 15, "half": 30}.get(match["minutes"])
    minutes = said_minutes or int(match["minutes"])
    direction = match["direction"]
    if not 1 <= minutes <= 59 or (match["minutes"] == "half" and direction not in ("past", "after")):
        raise ValueParseError(f"{match.group(0)!r} is not a time on the clock")
    hour = _NAMED[match["hour"]] if match["hour"] in _NAMED else _clock(int(match["hour"]), 0)
    sign = 1 if direction in ("past", "after") else -1
    hours, minute = divmod(hour.hour * 60 + sign * minutes, 60)
    hours %= 24
    if hour.twelve_hour:
        hours = hours % 12 or 12
    return _Reading(hours, minute, hour.twelve_hour)


def _british_half(match: re.Match[str]) -> _Reading:
    """"half eight" = 8:30."""
    return _clock(int(match["hour"]), 30)


def _hour_and_minute(match: re.Match[str]) -> _Reading:
    """"6:30", "8 30", "0730", "7 oh 5"."""
    return _clock(int(match["hour"]), int(match["minute"]))


def _hour_only(match: re.Match[str]) -> _Reading:
    """"7", "7 o'clock"."""
    return _clock(int(match["hour"]), 0)


def _clock(hour: int, minute: int) -> _Reading:
    """A checked reading: hours 0-23, minutes 0-59."""
    if not 0 <= hour <= 23 or not 0 <= minute <= 59:
        raise ValueParseError(f"{hour}:{minute:02d} is not a time on the clock")
    return _Reading(hour, minute, 1 <= hour <= 12)


_FORMS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], _Reading]], ...] = (
    (_RELATIVE, _relative),
    (_BRITISH_HALF, _british_half),
    (_SEPARATED, _hour_and_minute),
    (_OH_MINUTE, _hour_and_minute),
    (_HOUR_ONLY, _hour_only),
    (_MILITARY, _hour_and_minute),
)


def _apply_period(reading: _Reading, period: str | None) -> int:
    """The 24-hour hour: "7 pm" -> 19, "12 am" -> 0, "9 at night" -> 21, "2 at night" -> 2."""
    if period is None:
        return reading.hour
    if not reading.twelve_hour:
        raise ValueParseError(f"{reading.hour}:{reading.minute:02d} is already a 24-hour time; "
                              f"leave out '{period}'")
    hour = reading.hour % 12
    if period == "pm" or (period == "night" and hour >= 6):
        return hour + 12
    return hour

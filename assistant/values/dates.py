"""Calendar-date slots ("tomorrow", "next friday", "the 3rd of may") as :class:`datetime.date`.

Everything counts from ``context.now`` (its own timezone's calendar day is "today"):

* "today", "tonight", "this morning" = today; "tomorrow", "the day after tomorrow", "yesterday",
  "the day before yesterday", "last night"; a part of the day after a day is ignored ("tomorrow
  morning", "friday night").
* A bare weekday ("friday", "on friday", "this coming friday") is the next one after today; today
  itself is excluded, so on a Wednesday "wednesday" is a week ahead.
* "this friday" is the Friday of the current Monday-to-Sunday week, today included; when that day
  has passed it is next week's.
* "next friday" (and "friday next week") is the Friday of next Monday-to-Sunday week: on Wednesday
  25 November "next friday" is 4 December, while "friday" and "this friday" are 27 November.
* "last friday" is the most recent one before today.
* "the weekend"/"this weekend" is the coming Saturday (today when it is Saturday or Sunday);
  "next weekend" is the Saturday of next week.
* "next week" is a week from today (today + 7 days); "next month"/"next year" are the same day a
  month/year on (dateparser, clamped to the month's end).
* "in two days", "in a week", "2 weeks from now", "a week from today", "3 days ago": today moved by
  the duration (read by :mod:`assistant.values.durations`; "in 20 minutes" may cross midnight);
  "in 2 months" goes to dateparser.
* A month and day ("the 3rd of may", "may 3rd", "december 25th", "25 dec", "may 3rd 2027",
  "2027-05-03") is read by dateparser; without a year it is the next such day, today included.
* "the 14th" is the next 14th of a month, today included (dateparser would read "the 3rd" as
  March). A weekday before a date is checked ("friday the 27th").
* Numeric dates with slashes ("3/5") are refused: day-month or month-day is a guess.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from assistant.errors import ValueParseError
from assistant.values._words import spelled_to_digits, tidy

if TYPE_CHECKING:
    from assistant.values import ValueContext

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")

_WEEKDAYS: dict[str, int] = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}
_DAYS_FROM_TODAY: dict[str, int] = {
    "today": 0, "tonight": 0, "now": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
    "tomorrow": 1, "the day after tomorrow": 2, "day after tomorrow": 2,
    "yesterday": -1, "last night": -1, "the day before yesterday": -2, "day before yesterday": -2,
    "next week": 7, "a week today": 7,
}
_WEEKDAY_WORDS = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_MONTH_WORDS = ("january|jan|february|feb|march|mar|april|apr|may|june|jun|july|jul|august|aug|"
                "september|sept|sep|october|oct|november|nov|december|dec")

_LEADING = re.compile(r"^(?:(?:on|for|by|until|till|from)\s+)+")
_PART_OF_DAY = re.compile(r"\s+(?:(?:in the|at)\s+)?(?:morning|afternoon|evening|night)$")
_SPOKEN_YEAR = re.compile(r"\b(19|20) (\d{2})$")
""""december 25th twenty twenty seven" reaches us as "december 25th 20 27"."""
_SLASHED = re.compile(r"\d\s*/\s*\d")
_WEEKDAY = re.compile(
    rf"^(?:(?P<which>this coming|coming|this|next|last)\s+)?(?P<day>{_WEEKDAY_WORDS})"
    r"(?:\s+(?P<week>next week|this week))?$")
_WEEKDAY_THEN_DATE = re.compile(
    rf"^(?P<day>{_WEEKDAY_WORDS})\s+(?:the\s+)?(?P<date>\d.*|(?:{_MONTH_WORDS})\b.*)$")
_DAY_OF_MONTH = re.compile(r"^(?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)$|^the\s+(?P<bare>\d{1,2})$")
_WEEKEND = re.compile(r"^(?:(?P<which>this|next|the)\s+)?weekend$")
_AGO = re.compile(r"^(?P<span>.+?)\s+ago$")
_FROM_NOW = re.compile(r"^(?:in\s+)?(?P<span>.+?)(?:\s+(?:from now|from today|later|on|time))?$")
_MONTH_DAY = re.compile(rf"\b(?:{_MONTH_WORDS})\b.*\d|\d.*\b(?:{_MONTH_WORDS})\b")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTHS_OR_YEARS = re.compile(r"^(?:in\s+)?(?:\d+|a|an|next)\s+(?:months?|years?)(?:\s+from now)?$")
_ONLY_MONTH = re.compile(rf"^(?:in\s+)?(?P<month>{_MONTH_WORDS})$")
_YEAR = re.compile(r"\b\d{4}\b")
_DAY_NUMBER = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\b")
_MAX_WORDS_LENGTH = 80


def parse(raw: str, context: ValueContext) -> date:
    """The calendar date the words say, counted from ``context.now``."""
    text = _prepare(raw)
    today = context.now.date()
    found = _read(text, today, context.now)
    if found is None:
        if month := _ONLY_MONTH.match(text):
            raise ValueParseError(f"which day in {month['month'].title()}?")
        raise ValueParseError(f"I couldn't read a date from {raw.strip()!r}; try 'tomorrow' or 'May 3rd'")
    return found


def to_json(value: date) -> str:
    """ISO form, "2026-11-27"."""
    return value.isoformat()


def describe(value: date) -> str:
    """"Friday 27 November"."""
    return f"{WEEKDAY_NAMES[value.weekday()]} {value.day} {MONTH_NAMES[value.month - 1]}"


def _prepare(raw: str) -> str:
    """Tidy words with digits for numbers and ordinals ("third" -> "3rd"); slashed dates refused."""
    text = tidy(raw)
    if len(text) > _MAX_WORDS_LENGTH:
        raise ValueParseError("that's too long for a date")
    if _SLASHED.search(text):
        raise ValueParseError("say the month by name, like 'the 3rd of May'; 3/5 could be either")
    text = _LEADING.sub("", spelled_to_digits(text).replace(",", " "))
    return _SPOKEN_YEAR.sub(r"\1\2", " ".join(text.split()))


def _read(text: str, today: date, now: datetime) -> date | None:
    """The date from the first form that fits, trying each once more without a part of the day."""
    found = _read_form(text, today, now)
    if found is None:
        shorter = _PART_OF_DAY.sub("", text)
        if shorter and shorter != text:
            found = _read_form(shorter, today, now)
    return found


def _read_form(text: str, today: date, now: datetime) -> date | None:
    """Named days, weekdays, days of the month, weekends, spans from now, then calendar dates."""
    if text in _DAYS_FROM_TODAY:
        return today + timedelta(days=_DAYS_FROM_TODAY[text])
    if match := _WEEKDAY.match(text):
        which = "next" if match["week"] == "next week" else "this" if match["week"] else match["which"]
        return _weekday(today, _WEEKDAYS[match["day"]], which)
    if match := _WEEKDAY_THEN_DATE.match(text):
        return _checked_weekday(match["date"], _WEEKDAYS[match["day"]], today, now)
    if match := _DAY_OF_MONTH.match(text):
        return _day_of_month(today, int(match["day"] or match["bare"]))
    if match := _WEEKEND.match(text):
        return _weekend(today, match["which"] == "next")
    if _MONTH_DAY.search(text) or _ISO.match(text) or _MONTHS_OR_YEARS.match(text):
        return _calendar(text, today, now)
    return _span(text, now)


def _weekday(today: date, weekday: int, which: str | None) -> date:
    """A weekday by the rules in the module docstring ("this", "next", "last" or bare)."""
    monday = today - timedelta(days=today.weekday())
    if which == "this":
        this_week = monday + timedelta(days=weekday)
        return this_week if this_week >= today else this_week + timedelta(days=7)
    if which == "next":
        return monday + timedelta(days=7 + weekday)
    if which == "last":
        return today - timedelta(days=(today.weekday() - weekday) % 7 or 7)
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def _checked_weekday(rest: str, weekday: int, today: date, now: datetime) -> date | None:
    """"friday the 27th": the date after the weekday, which must fall on that weekday."""
    found = _read_form(rest, today, now)
    if found is not None and found.weekday() != weekday:
        raise ValueParseError(f"{found.day} {MONTH_NAMES[found.month - 1]} is a "
                              f"{WEEKDAY_NAMES[found.weekday()]}, not a {WEEKDAY_NAMES[weekday]}")
    return found


def _day_of_month(today: date, day: int) -> date:
    """The next date with this day of the month, today included (the 31st skips short months)."""
    if not 1 <= day <= 31:
        raise ValueParseError(f"no month has a day {day}")
    year, month = today.year, today.month
    while True:
        try:
            candidate = date(year, month, day)
        except ValueError:
            candidate = None
        if candidate is not None and candidate >= today:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _weekend(today: date, next_week: bool) -> date:
    """The Saturday of this weekend (today on a weekend) or of next week's."""
    if next_week:
        return _weekday(today, 5, "next")
    if today.weekday() >= 5:
        return today
    return _weekday(today, 5, "this")


def _span(text: str, now: datetime) -> date | None:
    """"in two days", "a week from now", "3 days ago": now moved by a duration."""
    from assistant.values.durations import read_duration

    ago = _AGO.match(text)
    match = ago or _FROM_NOW.match(text)
    if match is None:
        return None
    try:
        duration = read_duration(match["span"])
    except ValueParseError:
        return None
    return (now - duration if ago else now + duration).date()


def _calendar(text: str, today: date, now: datetime) -> date | None:
    """A month and day (and maybe year), ISO date, or months/years ahead, read by dateparser."""
    import dateparser

    settings = {"RELATIVE_BASE": now.replace(tzinfo=None), "PREFER_DATES_FROM": "future",
                "RETURN_AS_TIMEZONE_AWARE": False}
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
    if parsed is None:
        return None
    found = parsed.date()
    if _MONTH_DAY.search(text):
        if found.day not in {int(day) for day in _DAY_NUMBER.findall(text)}:
            # dateparser fills a day that was not said from today ("may 2027" -> 25 May 2027)
            raise ValueParseError(f"which day in {MONTH_NAMES[found.month - 1]}?")
        if not _YEAR.search(text):
            found = _on_or_after(today, found.month, found.day)
    return found


def _on_or_after(today: date, month: int, day: int) -> date:
    """The first (month, day) on or after today; dateparser's "future" skips today itself."""
    for year in range(today.year, today.year + 9):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise ValueParseError(f"there is no day {day} in {MONTH_NAMES[month - 1]}")  # pragma: no cover

"""Durations, times of day and calendar dates."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from assistant.errors import ValueParseError
from assistant.values import ValueContext, describe, normalise, to_json

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=ZoneInfo("Europe/Berlin"))  # a Wednesday
CONTEXT = ValueContext(now=NOW)


def minutes(count: float) -> timedelta:
    return timedelta(minutes=count)


# --- duration ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("8 minutes", minutes(8)),
    ("eight minutes", minutes(8)),
    ("five minutes", minutes(5)),
    ("25 mins", minutes(25)),
    ("12 min", minutes(12)),
    ("an hour", minutes(60)),
    ("one hour", minutes(60)),
    ("hour", minutes(60)),
    ("half an hour", minutes(30)),
    ("half hour", minutes(30)),
    ("a half hour", minutes(30)),
    ("an hour and a half", minutes(90)),
    ("two hours and a half", minutes(150)),
    ("a minute and a half", timedelta(seconds=90)),
    ("two and a half hours", minutes(150)),
    ("1.5 hours", minutes(90)),
    ("90 seconds", timedelta(seconds=90)),
    ("ninety seconds", timedelta(seconds=90)),
    ("forty five seconds", timedelta(seconds=45)),
    ("thirty second", timedelta(seconds=30)),
    ("a second", timedelta(seconds=1)),
    ("1 hour 20 minutes", minutes(80)),
    ("1 hour, 20 minutes", minutes(80)),
    ("3 minutes and 30 seconds", timedelta(minutes=3, seconds=30)),
    ("a quarter of an hour", minutes(15)),
    ("quarter of an hour", minutes(15)),
    ("three quarters of an hour", minutes(45)),
    ("2 hrs", minutes(120)),
    ("4 hrs", minutes(240)),
    ("4h", minutes(240)),
    ("10m", minutes(10)),
    ("90s", timedelta(seconds=90)),
    ("1h30m", minutes(90)),
    ("1h30", minutes(90)),
    ("1 hour 30", minutes(90)),
    ("2 minutes 30", timedelta(minutes=2, seconds=30)),
    ("a minute", minutes(1)),
    ("one minute", minutes(1)),
    ("a couple of minutes", minutes(2)),
    ("a day", timedelta(days=1)),
    ("2 weeks", timedelta(weeks=2)),
    ("a fortnight", timedelta(weeks=2)),
    ("in 20 minutes", minutes(20)),
    ("for 20 minutes", minutes(20)),
    ("after an hour", minutes(60)),
    ("20 minutes from now", minutes(20)),
    ("5 minute", minutes(5)),
    ("5-minute", minutes(5)),
    ("twenty minute", minutes(20)),
    ("1.1 hours", minutes(66)),
    ("0.5 seconds", timedelta(milliseconds=500)),
    ("366 days", timedelta(days=366)),
])
def test_duration(raw, expected):
    assert normalise("duration", raw, CONTEXT) == expected


@pytest.mark.parametrize(("raw", "message"), [
    ("1:30", "with units"),
    ("banana", "couldn't read a duration"),
    ("twenty", "couldn't read a duration"),
    ("banana minutes", "couldn't read a number"),
    ("minutes", "how many minutes"),
    ("0 minutes", "longer than zero"),
    ("-5 minutes", "can't be negative"),
    ("367 days", "up to 366 days"),
    ("a thousand million days", "up to 366 days"),  # past what timedelta can hold (found by hypothesis)
    ("a year", "couldn't read a duration"),
    ("10 minutes banana", "couldn't read a duration"),
])
def test_duration_errors(raw, message):
    with pytest.raises(ValueParseError, match=message):
        normalise("duration", raw, CONTEXT)


@pytest.mark.parametrize(("value", "json", "said"), [
    (minutes(8), 480, "8 minutes"),
    (minutes(1), 60, "1 minute"),
    (minutes(90), 5400, "1 hour 30 minutes"),
    (timedelta(seconds=90), 90, "1 minute 30 seconds"),
    (minutes(120), 7200, "2 hours"),
    (timedelta(days=1, hours=2), 93600, "1 day 2 hours"),
    (timedelta(weeks=2), 1209600, "2 weeks"),
    (timedelta(days=9), 777600, "9 days"),
    (timedelta(seconds=1.5), 1.5, "1.5 seconds"),
    (timedelta(hours=1, seconds=5), 3605, "1 hour 5 seconds"),
])
def test_duration_json_and_describe(value, json, said):
    assert to_json("duration", value) == json
    assert type(to_json("duration", value)) is type(json)
    assert describe("duration", value) == said


# --- time --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("6:30", time(6, 30)),
    ("6:30 am", time(6, 30)),
    ("6:30am", time(6, 30)),
    ("6:30 a.m.", time(6, 30)),
    ("6.30pm", time(18, 30)),
    ("6:30 PM", time(18, 30)),
    ("7 am", time(7)),
    ("7pm", time(19)),
    ("7 p.m.", time(19)),
    ("seven pm", time(19)),
    ("7 o'clock", time(7)),
    ("seven o clock", time(7)),
    ("seven", time(7)),
    ("12", time(12)),
    ("noon", time(12)),
    ("midday", time(12)),
    ("twelve noon", time(12)),
    ("midnight", time(0)),
    ("half past eight", time(8, 30)),
    ("quarter past nine", time(9, 15)),
    ("a quarter past 10", time(10, 15)),
    ("quarter to seven", time(6, 45)),
    ("ten to six", time(5, 50)),
    ("twenty past 4", time(4, 20)),
    ("20 minutes past 4", time(4, 20)),
    ("ten to one", time(12, 50)),
    ("ten to one am", time(0, 50)),
    ("quarter to midnight", time(23, 45)),
    ("quarter past noon", time(12, 15)),
    ("half eight", time(8, 30)),
    ("eight thirty", time(8, 30)),
    ("six forty five", time(6, 45)),
    ("seven oh five", time(7, 5)),
    ("seven fifteen pm", time(19, 15)),
    ("twelve thirty am", time(0, 30)),
    ("6 in the morning", time(6)),
    ("9 at night", time(21)),
    ("12 at night", time(0)),
    ("2 at night", time(2)),
    ("5 in the evening", time(17)),
    ("3 in the afternoon", time(15)),
    ("six thirty tonight", time(18, 30)),
    ("seven o'clock in the evening", time(19)),
    ("12 am", time(0)),
    ("12 pm", time(12)),
    ("18:45", time(18, 45)),
    ("0730", time(7, 30)),
    ("1845", time(18, 45)),
    ("nineteen hundred hours", time(19)),
    ("at 7", time(7)),
])
def test_time(raw, expected):
    assert normalise("time", raw, CONTEXT) == expected


@pytest.mark.parametrize(("raw", "message"), [
    ("banana", "couldn't read a time"),
    ("tonight", "couldn't read a time"),
    ("8 5", "couldn't read a time"),
    ("25:00", "not a time on the clock"),
    ("6:75", "not a time on the clock"),
    ("half to six", "not a time on the clock"),
    ("13 pm", "already a 24-hour time"),
])
def test_time_errors(raw, message):
    with pytest.raises(ValueParseError, match=message):
        normalise("time", raw, CONTEXT)


@pytest.mark.parametrize(("value", "json", "said"), [
    (time(6, 30), "06:30", "6:30 AM"),
    (time(7), "07:00", "7 AM"),
    (time(19, 5), "19:05", "7:05 PM"),
    (time(12), "12:00", "12 PM"),
    (time(0), "00:00", "12 AM"),
    (time(0, 30), "00:30", "12:30 AM"),
    (time(23, 59), "23:59", "11:59 PM"),
])
def test_time_json_and_describe(value, json, said):
    assert to_json("time", value) == json
    assert describe("time", value) == said


# --- date --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("today", date(2026, 11, 25)),
    ("tonight", date(2026, 11, 25)),
    ("this evening", date(2026, 11, 25)),
    ("tomorrow", date(2026, 11, 26)),
    ("tomorrow morning", date(2026, 11, 26)),
    ("tomorrow night", date(2026, 11, 26)),
    ("the day after tomorrow", date(2026, 11, 27)),
    ("yesterday", date(2026, 11, 24)),
    ("last night", date(2026, 11, 24)),
    ("the day before yesterday", date(2026, 11, 23)),
    # bare weekdays: the next one after today, today excluded
    ("friday", date(2026, 11, 27)),
    ("on friday", date(2026, 11, 27)),
    ("Friday", date(2026, 11, 27)),
    ("fri", date(2026, 11, 27)),
    ("friday night", date(2026, 11, 27)),
    ("this coming friday", date(2026, 11, 27)),
    ("wednesday", date(2026, 12, 2)),
    ("monday", date(2026, 11, 30)),
    # this <weekday>: the current Monday-Sunday week, today included, else next week
    ("this friday", date(2026, 11, 27)),
    ("this wednesday", date(2026, 11, 25)),
    ("this monday", date(2026, 11, 30)),
    ("friday this week", date(2026, 11, 27)),
    # next <weekday>: that day of next week
    ("next friday", date(2026, 12, 4)),
    ("friday next week", date(2026, 12, 4)),
    ("next monday", date(2026, 11, 30)),
    ("next wednesday", date(2026, 12, 2)),
    ("next sunday", date(2026, 12, 6)),
    # last <weekday>: the most recent before today
    ("last friday", date(2026, 11, 20)),
    ("last wednesday", date(2026, 11, 18)),
    ("last tuesday", date(2026, 11, 24)),
    # weekends and weeks
    ("this weekend", date(2026, 11, 28)),
    ("the weekend", date(2026, 11, 28)),
    ("next weekend", date(2026, 12, 5)),
    ("next week", date(2026, 12, 2)),
    # month and day, the next one with today included
    ("the 3rd of may", date(2027, 5, 3)),
    ("on the 3rd of may", date(2027, 5, 3)),
    ("the third of may", date(2027, 5, 3)),
    ("3rd of may", date(2027, 5, 3)),
    ("may 3rd", date(2027, 5, 3)),
    ("may third", date(2027, 5, 3)),
    ("may the 3rd", date(2027, 5, 3)),
    ("3 may", date(2027, 5, 3)),
    ("the second of may", date(2027, 5, 2)),
    ("december 25th", date(2026, 12, 25)),
    ("december twenty fifth", date(2026, 12, 25)),
    ("25 dec", date(2026, 12, 25)),
    ("the first of december", date(2026, 12, 1)),
    ("the twenty first of june", date(2027, 6, 21)),
    ("november 25th", date(2026, 11, 25)),
    ("november 24th", date(2027, 11, 24)),
    ("feb 29", date(2028, 2, 29)),
    ("may 3rd 2027", date(2027, 5, 3)),
    ("may 3rd, 2025", date(2025, 5, 3)),
    ("december 25th twenty twenty seven", date(2027, 12, 25)),
    ("2027-05-03", date(2027, 5, 3)),
    # day of the month alone: the next one, today included
    ("the 14th", date(2026, 12, 14)),
    ("the fourteenth", date(2026, 12, 14)),
    ("14th", date(2026, 12, 14)),
    ("the 25th", date(2026, 11, 25)),
    ("the 30th", date(2026, 11, 30)),
    ("the 31st", date(2026, 12, 31)),
    ("friday the 27th", date(2026, 11, 27)),
    ("friday 27 november", date(2026, 11, 27)),
    # spans from now
    ("in two days", date(2026, 11, 27)),
    ("in 2 days", date(2026, 11, 27)),
    ("in a week", date(2026, 12, 2)),
    ("in three weeks", date(2026, 12, 16)),
    ("2 weeks from now", date(2026, 12, 9)),
    ("a week from today", date(2026, 12, 2)),
    ("3 days ago", date(2026, 11, 22)),
    ("in 20 minutes", date(2026, 11, 25)),
    ("in 12 hours", date(2026, 11, 26)),
    ("in a month", date(2026, 12, 25)),
    ("in 2 months", date(2027, 1, 25)),
    ("next month", date(2026, 12, 25)),
    ("next year", date(2027, 11, 25)),
])
def test_date(raw, expected):
    assert normalise("date", raw, CONTEXT) == expected


def test_date_counts_from_the_contexts_own_day():
    late = ValueContext(now=datetime(2026, 11, 25, 23, 30, tzinfo=ZoneInfo("Europe/Berlin")))
    assert normalise("date", "tomorrow", late) == date(2026, 11, 26)
    assert normalise("date", "in an hour", late) == date(2026, 11, 26)


def test_date_on_a_sunday():
    sunday = ValueContext(now=datetime(2026, 11, 29, 9, 0, tzinfo=ZoneInfo("Europe/Berlin")))
    assert normalise("date", "this weekend", sunday) == date(2026, 11, 29)
    assert normalise("date", "this sunday", sunday) == date(2026, 11, 29)
    assert normalise("date", "sunday", sunday) == date(2026, 12, 6)
    assert normalise("date", "next monday", sunday) == date(2026, 11, 30)


@pytest.mark.parametrize(("raw", "message"), [
    ("3/5", "month by name"),
    ("05/03/2027", "month by name"),
    ("banana", "couldn't read a date"),
    ("5", "couldn't read a date"),
    ("june", "which day in June"),
    ("in june", "which day in June"),
    ("may 2027", "which day in May"),
    ("dec 2026", "which day in December"),
    ("february 30", "couldn't read a date"),
    ("31 november", "couldn't read a date"),
    ("the 32nd", "no month has a day 32"),
    ("monday the 27th", "27 November is a Friday, not a Monday"),
    ("in 400 days", "couldn't read a date"),
    ("in a thousand million days", "couldn't read a date"),
    ("tomorrow " * 20, "too long"),
])
def test_date_errors(raw, message):
    with pytest.raises(ValueParseError, match=message):
        normalise("date", raw, CONTEXT)


@pytest.mark.parametrize(("value", "json", "said"), [
    (date(2026, 11, 27), "2026-11-27", "Friday 27 November"),
    (date(2027, 5, 3), "2027-05-03", "Monday 3 May"),
    (date(2026, 12, 1), "2026-12-01", "Tuesday 1 December"),
])
def test_date_json_and_describe(value, json, said):
    assert to_json("date", value) == json
    assert describe("date", value) == said

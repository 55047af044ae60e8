"""Property tests: any words give a value or a ValueParseError, round trips hold, work is bounded."""

from __future__ import annotations

import contextlib
import json
import time as clock
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.errors import ValueParseError
from assistant.values import TYPE_NAMES, ValueContext, describe, normalise, to_json

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=ZoneInfo("Europe/Berlin"))
CONTEXT = ValueContext(now=NOW, choices={"battery": "battery", "power": "battery", "cpu": "cpu",
                                         "processor": "cpu", "disk space": "disk", "up": "up"})

VOCABULARY = (
    "a", "an", "and", "the", "of", "in", "on", "at", "to", "past", "half", "quarter", "quarters", "dozen",
    "couple", "point", "minus", "negative", "plus", "times", "x", "over", "divided", "by", "power",
    "squared", "cubed", "square", "root", "percent", "per", "cent", "mod", "one", "two", "three", "five",
    "twelve", "twenty", "thirty", "forty", "hundred", "thousand", "million", "first", "second", "third",
    "0", "1", "2", "7", "12", "13", "25", "30", "59", "60", "99", "100", "1000", "2.5", "-3", "0.5",
    "1,000", "6:30", "18:45", "1:30", "3/5", "4h", "10m", "am", "pm", "noon", "midnight", "o'clock",
    "morning", "evening", "night", "tonight", "today", "tomorrow", "yesterday", "next", "last", "this",
    "week", "weeks", "weekend", "month", "year", "day", "days", "hour", "hours", "minute", "minutes",
    "seconds", "sec", "mins", "hrs", "from", "now", "ago", "friday", "monday", "may", "december",
    "14th", "3rd", "31st", "2027", "kilograms", "kg", "miles", "km/h", "mph", "degrees", "fahrenheit",
    "celsius", "gb", "bytes", "feet", "(", ")", "+", "-", "*", "/", "^", "**", "%", "√", "²",
    "max", "full", "off", "battery", "cpu", "up",
)
"""Words the parsers know, so random phrases reach past the first check."""

phrases = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=8).map(" ".join)
any_text = st.text(max_size=60) | phrases


@pytest.mark.parametrize("type_name", TYPE_NAMES)
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=any_text)
def test_any_words_give_a_value_or_a_value_parse_error(type_name, raw):
    try:
        value = normalise(type_name, raw, CONTEXT)
    except ValueParseError as error:
        problem: ValueParseError | None = error
    else:
        problem = None
        json.dumps(to_json(type_name, value))
        assert describe(type_name, value)
        if type_name == "expression":
            with contextlib.suppress(ValueParseError):
                value.evaluate()
    assert problem is None or str(problem), "every error says what was wrong"


@settings(max_examples=300, deadline=None)
@given(seconds=st.integers(min_value=1, max_value=366 * 86400),
       milliseconds=st.sampled_from([0, 0, 500, 250]))
def test_durations_round_trip_through_describe(seconds, milliseconds):
    duration = timedelta(seconds=seconds, milliseconds=milliseconds)
    if duration > timedelta(days=366):
        return
    said = describe("duration", duration)
    assert normalise("duration", said, CONTEXT) == duration


@settings(max_examples=200, deadline=None)
@given(hour=st.integers(0, 23), minute=st.integers(0, 59))
def test_times_round_trip_through_describe(hour, minute):
    value = time(hour, minute)
    assert normalise("time", describe("time", value), CONTEXT) == value
    assert normalise("time", f"{hour:02d}:{minute:02d}", CONTEXT) == value


@settings(max_examples=200, deadline=None)
@given(value=st.integers(-10**9, 10**9) | st.decimals("-1000", "1000", places=3).map(float))
def test_numbers_round_trip_through_describe(value):
    assert normalise("number", describe("number", value), CONTEXT) == value


@settings(max_examples=100, deadline=None)
@given(value=st.integers(0, 100) | st.decimals("0", "100", places=1).map(float))
def test_percentages_round_trip_through_describe(value):
    assert normalise("percentage", describe("percentage", value), CONTEXT) == value


numbers = st.one_of(st.integers(-10**6, 10**6).map(str),
                    st.sampled_from(["0", "0.5", "0.07", "9", "10", "99999", "1" + "0" * 30, "two", "√2"]))
operators = st.sampled_from(["+", "-", "*", "/", "^", "**", "%", "mod", "times", "to the power of",
                             "divided by", "percent of"])


def _expressions(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, operators, children).map(" ".join),
        children.map(lambda inner: f"({inner})"),
        children.map(lambda inner: f"square root of {inner}"),
        children.map(lambda inner: f"{inner} squared"),
        children.map(lambda inner: f"{inner} percent"),
        children.map(lambda inner: f"negative {inner}"),
    )


expressions = st.recursive(numbers, _expressions, max_leaves=10)


@settings(max_examples=400, deadline=None)
@given(raw=expressions)
def test_expressions_are_bounded(raw):
    started = clock.thread_time()  # CPU time of this thread: other jobs on a shared machine do not count
    try:
        value = normalise("expression", raw, CONTEXT)
        result = value.evaluate()
    except ValueParseError:
        pass
    else:
        assert abs(result) <= 1e100
        json.dumps(to_json("expression", value))
        # what we say back reads as the same calculation
        assert normalise("expression", describe("expression", value), CONTEXT) == value
    assert clock.thread_time() - started < 0.5


@pytest.mark.parametrize("raw", [
    "9 ^ 9 ^ 9 ^ 9 ^ 9", "99999 ^ 99999", "(10 ^ 10) ^ (10 ^ 10)", "2 ^ 1000 ^ 1000",
    "square root of 9 ^ 9 ^ 9", "1000000 ^ 1000 / 7",
])
def test_towers_of_powers_fail_fast(raw):
    started = clock.thread_time()
    with pytest.raises(ValueParseError):
        normalise("expression", raw, CONTEXT).evaluate()
    assert clock.thread_time() - started < 0.1

"""Slot values through the package interface, plus the text, choice, number and percentage types."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from assistant.errors import ValueParseError
from assistant.values import TYPE_NAMES, ValueContext, describe, normalise, to_json

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=ZoneInfo("Europe/Berlin"))  # a Wednesday
CONTEXT = ValueContext(now=NOW)


def choices(**canonical_to_words: tuple[str, ...]) -> ValueContext:
    """A context for choice slots, built like SlotSpec.choice_words does."""
    words = {}
    for canonical, synonyms in canonical_to_words.items():
        words[canonical.lower()] = canonical
        words.update({synonym.lower(): canonical for synonym in synonyms})
    return ValueContext(now=NOW, choices=words)


METRICS = choices(battery=("power", "charge"), cpu=("processor", "cpu usage"), memory=("ram",),
                  disk=("storage", "disk space"), uptime=(), network=("wifi", "internet connection"))
ACTIONS = choices(pause=("hold on",), resume=("continue", "unpause"), next=("skip",),
                  previous=("go back", "last song"), stop=())
DIRECTIONS = choices(up=("louder", "raise"), down=("quieter", "lower"), mute=("silence",), unmute=())


# --- the package interface -------------------------------------------------------------------

@pytest.mark.parametrize(("type_name", "raw", "value", "json", "said"), [
    ("text", "  buy more  coffee filters ", "buy more coffee filters", "buy more coffee filters",
     "buy more coffee filters"),
    ("number", "a dozen", 12, 12, "12"),
    ("percentage", "40 percent", 40, 40, "40%"),
    ("duration", "an hour and a half", timedelta(hours=1, minutes=30), 5400, "1 hour 30 minutes"),
    ("time", "half past eight pm", time(20, 30), "20:30", "8:30 PM"),
    ("date", "the day after tomorrow", date(2026, 11, 27), "2026-11-27", "Friday 27 November"),
    ("unit", "degrees fahrenheit", "degree_Fahrenheit", "degree_Fahrenheit", "degrees Fahrenheit"),
])
def test_interface_round_trip(type_name, raw, value, json, said):
    parsed = normalise(type_name, raw, CONTEXT)
    assert parsed == value
    assert to_json(type_name, parsed) == json
    assert describe(type_name, parsed) == said


def test_interface_expression():
    parsed = normalise("expression", "12 times 7 plus 3", CONTEXT)
    assert parsed.evaluate() == 87
    assert to_json("expression", parsed) == {"op": "+", "args": [{"op": "*", "args": [12, 7]}, 3]}
    assert describe("expression", parsed) == "12 × 7 + 3"


def test_interface_choice():
    assert normalise("choice", "the Battery!", METRICS) == "battery"


@pytest.mark.parametrize("type_name", TYPE_NAMES)
def test_every_type_has_a_module(type_name):
    with pytest.raises(ValueParseError, match="no words"):
        normalise(type_name, "   ", CONTEXT)


def test_none_is_json_null():
    assert to_json("duration", None) is None


def test_unknown_type():
    with pytest.raises(ValueParseError, match="unknown slot type"):
        normalise("colour", "red", CONTEXT)


# --- text --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("tokyo", "tokyo"),
    ("  New   York ", "New York"),
    ("buy more coffee filters.", "buy more coffee filters."),
    ("squeezebert paper", "squeezebert paper"),
])
def test_text(raw, expected):
    value = normalise("text", raw, CONTEXT)
    assert value == expected
    assert to_json("text", value) == expected
    assert describe("text", value) == expected


# --- choice ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "context", "expected"), [
    ("battery", METRICS, "battery"),
    ("Battery", METRICS, "battery"),
    ("battery?", METRICS, "battery"),
    ("the battery", METRICS, "battery"),
    ("batteries", METRICS, "battery"),
    ("power", METRICS, "battery"),
    ("CPU usage", METRICS, "cpu"),
    ("processors", METRICS, "cpu"),
    ("disk space", METRICS, "disk"),
    ("my internet connection", METRICS, "network"),
    ("the battery level", METRICS, "battery"),
    ("pause", ACTIONS, "pause"),
    ("pausing", ACTIONS, "pause"),
    ("pauses", ACTIONS, "pause"),
    ("hold on", ACTIONS, "pause"),
    ("skip", ACTIONS, "next"),
    ("skipping", ACTIONS, "next"),
    ("stopping", ACTIONS, "stop"),
    ("continue", ACTIONS, "resume"),
    ("go back", ACTIONS, "previous"),
    ("the last song", ACTIONS, "previous"),
    ("up", DIRECTIONS, "up"),
    ("louder", DIRECTIONS, "up"),
    ("turn it down", DIRECTIONS, "down"),
    ("muting", DIRECTIONS, "mute"),
    ("unmute", DIRECTIONS, "unmute"),
])
def test_choice(raw, context, expected):
    assert normalise("choice", raw, context) == expected


@pytest.mark.parametrize(("raw", "context"), [
    ("banana", METRICS),
    ("gpu", METRICS),
    ("up and down", DIRECTIONS),  # two different choices: ambiguous
])
def test_choice_errors_list_the_choices(raw, context):
    with pytest.raises(ValueParseError, match=r"is not one of: "):
        normalise("choice", raw, context)


def test_choice_error_message():
    with pytest.raises(ValueParseError) as caught:
        normalise("choice", "gpu", METRICS)
    assert str(caught.value) == "'gpu' is not one of: battery, cpu, disk, memory, network, uptime"


def test_choice_without_choices():
    with pytest.raises(ValueParseError, match="no values to choose from"):
        normalise("choice", "up", CONTEXT)


def test_choice_json_and_describe():
    assert to_json("choice", "battery") == "battery"
    assert describe("choice", "battery") == "battery"


# --- number ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("2", 2),
    ("2.5", 2.5),
    ("1,000", 1000),
    ("1,234,567.5", 1234567.5),
    ("-3", -3),
    ("0", 0),
    (".5", 0.5),
    ("2.0", 2),
    ("twenty five", 25),
    ("twenty-five", 25),
    ("two point five", 2.5),
    ("one point five", 1.5),
    ("one hundred and five", 105),
    ("five hundred", 500),
    ("seventy two", 72),
    ("zero", 0),
    ("a", 1),
    ("an", 1),
    ("one", 1),
    ("two", 2),
    ("a couple", 2),
    ("a couple of", 2),
    ("a dozen", 12),
    ("half a dozen", 6),
    ("two dozen", 24),
    ("2 hundred", 200),
    ("half", 0.5),
    ("a half", 0.5),
    ("half a", 0.5),
    ("a quarter", 0.25),
    ("three quarters", 0.75),
    ("three and a half", 3.5),
    ("one and a half", 1.5),
    ("one and a quarter", 1.25),
    ("two and three quarters", 2.75),
    ("a hundred", 100),
    ("a thousand", 1000),
    ("a million", 1_000_000),
    ("1.5 million", 1_500_000),
    ("minus 10", -10),
    ("negative 5", -5),
    ("Twelve.", 12),
])
def test_number(raw, expected):
    value = normalise("number", raw, CONTEXT)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize("raw", [
    "banana", "and", "1 and 2", "2nd", "1,5", "two three", "minus", "five percent",
])
def test_number_errors(raw):
    with pytest.raises(ValueParseError, match="couldn't read a number"):
        normalise("number", raw, CONTEXT)


def test_number_too_big():
    with pytest.raises(ValueParseError, match="too big"):
        normalise("number", "9" * 400 + ".5", CONTEXT)


@pytest.mark.parametrize(("value", "json", "said"), [
    (12, 12, "12"), (2.5, 2.5, "2.5"), (3.0, 3, "3"), (-0.25, -0.25, "-0.25"), (1 / 3, 1 / 3, "0.3333333333"),
    (1_000_000, 1_000_000, "1000000"),
])
def test_number_json_and_describe(value, json, said):
    assert to_json("number", value) == json
    assert describe("number", value) == said


# --- percentage --------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("40 percent", 40),
    ("40%", 40),
    ("40 %", 40),
    ("40 per cent", 40),
    ("forty percent", 40),
    ("forty", 40),
    ("40", 40),
    ("twelve point five percent", 12.5),
    ("0.4", 0.4),
    ("0.4 percent", 0.4),
    ("half", 50),
    ("a half", 50),
    ("a quarter", 25),
    ("three quarters", 75),
    ("half a percent", 0.5),
    ("max", 100),
    ("maximum", 100),
    ("full", 100),
    ("100%", 100),
    ("zero", 0),
    ("off", 0),
    ("0", 0),
    ("to 40 percent", 40),
])
def test_percentage(raw, expected):
    assert normalise("percentage", raw, CONTEXT) == expected


@pytest.mark.parametrize(("raw", "message"), [
    ("150 percent", "between 0 and 100, not 150"),
    ("-5", "between 0 and 100, not -5"),
    ("two hundred", "between 0 and 100, not 200"),
    ("%", "how many percent"),
    ("loud", "couldn't read a number"),
])
def test_percentage_errors(raw, message):
    with pytest.raises(ValueParseError, match=message):
        normalise("percentage", raw, CONTEXT)


@pytest.mark.parametrize(("value", "json", "said"), [
    (40, 40, "40%"), (12.5, 12.5, "12.5%"), (50.0, 50, "50%"),
])
def test_percentage_json_and_describe(value, json, said):
    assert to_json("percentage", value) == json
    assert describe("percentage", value) == said

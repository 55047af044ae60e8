"""Spoken grammars for the slot types, so a command is heard with any value, not only the listed ones.

A plugin's value lists hold a few examples ("five minutes", "an hour"); a user says "seventeen
minutes". Each typed slot place of a template therefore also accepts the spoken forms its value
parser reads (:mod:`assistant.values`): numbers up to 999, durations, clock times, dates and
percentages. Text, choice and unit slots stay with their value lists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cache

from assistant.speech.automaton import Dfa

ONES = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
         "nineteen")
TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
            "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
            "eighteenth", "nineteenth", "twentieth", "twenty first", "twenty second", "twenty third",
            "twenty fourth", "twenty fifth", "twenty sixth", "twenty seventh", "twenty eighth", "twenty ninth",
            "thirtieth", "thirty first")


def _phrases(texts: Iterable[str]) -> Dfa:
    return Dfa.phrases(t.split() for t in texts)


def _seq(*parts: Dfa | str | Sequence[str]) -> Dfa:
    """Concatenate parts; a string is one phrase, a tuple of strings a choice between phrases."""
    return Dfa.concatenation([p if isinstance(p, Dfa) else _phrases([p] if isinstance(p, str) else p)
                              for p in parts])


def _optional(part: Dfa | Sequence[str]) -> Dfa:
    dfa = part if isinstance(part, Dfa) else _phrases(part)
    return Dfa.union([dfa, _phrases([""])])


@cache
def below_hundred() -> Dfa:
    """one … ninety nine."""
    return Dfa.union([_phrases(ONES + TEENS), _seq(TENS, _optional(ONES))])


@cache
def number() -> Dfa:
    """zero … nine hundred ninety nine, "a hundred", halves ("two and a half") and "a couple"."""
    hundreds = _seq((*ONES, "a"), "hundred", _optional(_seq(_optional(("and",)), below_hundred())))
    whole = Dfa.union([_phrases(("zero",)), below_hundred(), hundreds])
    return Dfa.union([whole, _seq(whole, "and a half"), _phrases(("half", "a couple of", "a few"))])


@cache
def duration() -> Dfa:
    """"seventeen minutes", "an hour and a half", "one hour twenty minutes", "half an hour"."""
    amount = Dfa.union([below_hundred(), _phrases(("a", "an", "a couple of", "a few"))])
    hours, minutes, seconds = ("hour", "hours"), ("minute", "minutes"), ("second", "seconds")
    return Dfa.union([
        _seq(amount, (*seconds, *minutes, *hours, "day", "days", "week", "weeks")),
        _seq(Dfa.union([below_hundred(), _phrases(("a", "an"))]), (*minutes, *hours), "and a half"),
        _seq(below_hundred(), "and a half", (*minutes, *hours)),
        _seq(amount, hours, _optional(("and",)), below_hundred(), minutes),
        _seq(amount, minutes, _optional(("and",)), below_hundred(), seconds),
        _phrases(("half an hour", "half a minute", "a quarter of an hour", "three quarters of an hour")),
    ])


@cache
def percentage() -> Dfa:
    return Dfa.union([_seq(number(), "percent"), _phrases(("half", "full", "max", "maximum", "a quarter"))])


@cache
def time() -> Dfa:
    hour = _phrases((*ONES, "ten", "eleven", "twelve"))
    minutes = Dfa.union([_seq("oh", ONES), _phrases(TEENS),
                         _seq(TENS[:4], _optional(ONES))])
    period = _optional(("a m", "p m", "in the morning", "in the afternoon", "in the evening", "at night",
                        "tonight"))
    reading = Dfa.union([
        _seq(hour, _optional(("o'clock",))), _seq(hour, minutes),
        _seq(("half past", "quarter past", "quarter to", "ten past", "ten to", "twenty past", "twenty to",
              "five past", "five to"), hour),
    ])
    return Dfa.union([_seq(reading, period), _phrases(("noon", "midday", "midnight"))])


@cache
def date() -> Dfa:
    days = _phrases(ORDINALS)
    return Dfa.union([
        _phrases(("today", "tonight", "tomorrow", "yesterday", "the day after tomorrow", "this weekend",
                  "the weekend", "next weekend", "next week", "next month", "tomorrow morning",
                  "tomorrow evening", "tomorrow night", "this morning", "this evening")),
        _seq(_optional(("on", "this", "next", "last", "this coming")), WEEKDAYS),
        _seq(_optional(("on",)), _optional(("the",)), days, _optional(_seq("of", MONTHS))),
        _seq(MONTHS, days), _seq("in", below_hundred(), ("days", "weeks")), _phrases(("in a week",)),
    ])


TYPE_GRAMMARS: dict[str, Callable[[], Dfa]] = {
    "number": number, "duration": duration, "percentage": percentage, "time": time, "date": date,
}
"""Slot type -> its spoken grammar; types not listed use only the plugin's value lists."""


def for_type(type_name: str) -> Dfa | None:
    maker = TYPE_GRAMMARS.get(type_name)
    return maker() if maker is not None else None

"""Deciding what an answer to a follow-up question means (without the model)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from assistant import values
from assistant.dialogue import Fill, PendingRequest, Reask, Switch, answer_to, is_cancel
from assistant.plugins.spec import SlotSpec
from assistant.results import IntentScore, ParseResult, Slot

NOW = datetime(2026, 11, 25, 14, 0).astimezone()
DURATION = SlotSpec("duration", "duration", required=True, prompt="For how long?")
TEXT = SlotSpec("text", "text", required=True, prompt="What should the note say?")


def normalise(spec, raw):
    return values.normalise(spec.type, raw, values.ValueContext(now=NOW))


def parse(text, intent="oos", confidence=0.9, slots=()):
    return ParseResult(text, IntentScore(intent, confidence), tuple(slots))


@pytest.mark.parametrize("text", ["cancel", "Never mind.", "forget it", "um, cancel that please", "nope", "stop"])
def test_cancel_phrases(text):
    assert is_cancel(text)


@pytest.mark.parametrize("text", ["cancel the pasta timer", "stop the music", "never mind the eggs timer"])
def test_requests_that_mention_cancel_are_not_dialogue_cancels(text):
    assert not is_cancel(text)


def test_a_bare_answer_fills_the_missing_slot():
    pending = PendingRequest("timer.start", (), DURATION)
    result = answer_to(pending, parse("um, make it five minutes."), normalise)
    assert isinstance(result, Fill)
    assert result.slot.raw == "five minutes" and result.slot.value == timedelta(minutes=5)
    assert "um, make it five minutes."[result.slot.start:result.slot.end] == "five minutes"


def test_a_slot_the_model_found_is_used():
    pending = PendingRequest("timer.start", (), DURATION)
    said = "for about ten minutes I guess"
    slot = Slot("duration", "ten minutes", 10, 21)
    result = answer_to(pending, parse(said, "timer.start", 0.6, [slot]), normalise)
    assert isinstance(result, Fill) and result.slot.value == timedelta(minutes=10)


def test_text_answers_are_taken_whole():
    pending = PendingRequest("note.add", (), TEXT)
    result = answer_to(pending, parse("buy oat milk and bread"), normalise)
    assert isinstance(result, Fill) and result.slot.value == "buy oat milk and bread"


def test_a_confident_different_request_switches():
    pending = PendingRequest("note.add", (), TEXT)
    assert isinstance(answer_to(pending, parse("what time is it", "clock.time", 0.99), normalise), Switch)
    pending = PendingRequest("timer.start", (), DURATION)
    assert isinstance(answer_to(pending, parse("what time is it", "clock.time", 0.99), normalise), Switch)


def test_an_unreadable_answer_is_asked_again():
    pending = PendingRequest("timer.start", (), DURATION)
    assert isinstance(answer_to(pending, parse("bananas"), normalise), Reask)

"""The engine end to end on the shipped model: understanding, acting, follow-ups, failures, bad input."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.plugin_api import HandlerInfo
from assistant.plugins.loader import BoundHandler
from assistant.plugins.registry import IntentEntry
from assistant.results import Stage, TurnKind

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.fixture
def assistant(make_assistant):
    return make_assistant(now=lambda: NOW)


def test_a_timer_request_is_understood_normalised_and_acted_on(assistant):
    turn = assistant.handle("Set a PASTA timer,  for eight minutes!")
    assert turn.kind is TurnKind.ANSWER
    assert turn.parse.intent.name == "timer.start"
    slots = {s.name: s for s in turn.parse.slots}
    assert slots["duration"].value == timedelta(minutes=8)
    assert turn.text[slots["duration"].start:slots["duration"].end] == "eight minutes"
    assert slots["label"].raw == "PASTA"
    assert turn.reply == "Pasta timer set for 8 minutes; it will ring at 14:08."
    assert [t.stage for t in turn.timings] == [Stage.TOKENIZE, Stage.MODEL, Stage.DECODE, Stage.HANDLER, Stage.TOTAL]
    remaining = assistant.handle("how much time is left on the pasta timer")
    assert remaining.reply.startswith("Your pasta timer has 8 minutes left")


def test_out_of_scope_runs_no_handler(assistant, monkeypatch):
    calls = []
    monkeypatch.setattr("assistant.engine.run_handler", lambda *a: calls.append(a))
    turn = assistant.handle("book me a flight to lisbon for next week")
    assert turn.kind is TurnKind.OUT_OF_SCOPE
    assert turn.parse.intent.name == "oos"
    assert turn.reply == "Sorry, I can't help with that yet."
    assert calls == []


def test_a_missing_required_slot_is_asked_for_and_filled_from_the_answer(assistant):
    first = assistant.handle("set a timer")
    assert first.kind is TurnKind.QUESTION and first.reply == "For how long?"
    second = assistant.handle("twenty minutes")
    assert second.kind is TurnKind.ANSWER
    assert second.intent_for_slots == "timer.start"
    assert second.reply.startswith("Timer set for 20 minutes")
    assert assistant.dialogue.pending is None


def test_never_mind_drops_the_pending_request(assistant):
    assert assistant.handle("take a note").kind is TurnKind.QUESTION
    turn = assistant.handle("never mind")
    assert turn.kind is TurnKind.CANCELLED
    assert assistant.dialogue.pending is None
    assert assistant.handle("read my notes").reply.startswith("You don't have any notes yet")


def test_a_new_request_instead_of_an_answer_starts_over(assistant):
    assistant.handle("set a timer")
    turn = assistant.handle("what time is it in tokyo")
    assert turn.parse.intent.name == "clock.time"
    assert turn.reply == "It's 22:00 in Tokyo, UTC+9."
    assert assistant.dialogue.pending is None


def test_dry_run_understands_without_acting_or_storing(assistant, home):
    turn = assistant.handle("take a note buy more coffee filters", dry_run=True)
    assert turn.kind is TurnKind.DRY_RUN and turn.reply is None
    assert turn.parse.intent.name == "note.add"
    assert turn.parse.slot("text").value == "buy more coffee filters"
    assert list(home.rglob("*.sqlite3")) == []


def test_intents_without_handlers_say_so_honestly(assistant):
    turn = assistant.handle("will it rain in paris tomorrow")
    assert turn.kind is TurnKind.UNAVAILABLE
    assert turn.parse.intent.name == "weather.query"
    assert "can't do that yet" in turn.reply


def _replace_handler(assistant, intent, function, timeout_s=5.0):
    entry = assistant.registry.intent(intent)
    bound = BoundHandler(function, HandlerInfo(intent, timeout_s), entry.plugin.spec.file)
    assistant.registry._intents[intent] = IntentEntry(entry.plugin, entry.spec, bound)


def test_a_failing_handler_gets_an_apology_and_a_logged_traceback(assistant, caplog):
    def broken(ctx):
        raise ValueError("plugin bug")

    _replace_handler(assistant, "chat.greet", broken)
    with caplog.at_level(logging.ERROR):
        turn = assistant.handle("hello there")
    assert turn.kind is TurnKind.FAILED
    assert turn.reply.startswith("Sorry, something went wrong")
    assert "plugin bug" in caplog.text and "Traceback" in caplog.text
    assert assistant.handle("thanks a lot").kind is TurnKind.ANSWER


def test_a_hanging_handler_times_out_and_the_assistant_goes_on(assistant, caplog):
    import threading

    release = threading.Event()
    _replace_handler(assistant, "chat.greet", lambda ctx: release.wait(30) and "late", timeout_s=0.2)
    turn = assistant.handle("hello there")
    release.set()
    assert turn.kind is TurnKind.FAILED and "took too long" in turn.reply
    assert assistant.handle("thank you").kind is TurnKind.ANSWER


def test_a_disabled_plugin_is_not_run(assistant):
    assistant.registry.set_enabled("chat", False)
    turn = assistant.handle("hello there")
    assert turn.kind is TurnKind.UNAVAILABLE and "turned off" in turn.reply


def test_timers_survive_a_restart(make_assistant):
    clock = {"now": NOW}
    first = make_assistant(now=lambda: clock["now"])
    first.handle("set a tea timer for 10 minutes")
    first.close()
    clock["now"] = NOW + timedelta(minutes=4)
    second = make_assistant(now=lambda: clock["now"])
    assert second.handle("how long is left on my tea timer").reply.startswith("Your tea timer has 6 minutes left")


@pytest.mark.parametrize(("text", "kind"), [
    ("", TurnKind.INVALID_INPUT),
    ("   \n\t ", TurnKind.INVALID_INPUT),
    ("🍝🍝🔥", TurnKind.INVALID_INPUT),
    ("?!.,", TurnKind.INVALID_INPUT),
])
def test_input_without_words_gets_a_clear_reply(assistant, text, kind):
    turn = assistant.handle(text)
    assert turn.kind is kind and turn.reply


def test_very_long_input_is_cut_with_a_note(assistant):
    text = "set a timer for five minutes " + "and some more words " * 2500
    assert len(text) > 10_000
    turn = assistant.handle(text)
    assert any("too long" in note for note in turn.notes)
    assert turn.parse.truncated_at is not None


def test_other_scripts_are_answered_with_a_note(assistant):
    turn = assistant.handle("今何時ですか")
    assert turn.reply
    assert "I only understand English so far." in turn.notes


def test_control_characters_are_harmless(assistant):
    turn = assistant.handle("set a timer\x00 for\x1b five\u200b minutes")
    assert turn.parse.intent.name == "timer.start"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
def test_any_text_gets_a_turn_never_an_exception(assistant, text):
    turn = assistant.handle(text, dry_run=True)
    assert turn.kind in set(TurnKind)
    if turn.parse is not None:
        for slot in turn.parse.slots:
            assert text[slot.start:slot.end] == slot.raw

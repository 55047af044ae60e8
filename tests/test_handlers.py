"""The built-in handlers with real storage: timers, notes, clock, chat, help and stats."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from assistant.results import Energy, Stage, StageTiming
from intents.about import handlers as about
from intents.chat import handlers as chat
from intents.clock import handlers as clock
from intents.note import handlers as note
from intents.timer import handlers as timer
from tests.handler_context import World


@pytest.fixture
def world(tmp_path):
    w = World(tmp_path)
    yield w
    w.close()


def test_timer_start_schedules_and_says_when_it_rings(world):
    reply = timer.start(world.context("timer"), duration=timedelta(minutes=8), label="the Pasta")
    assert reply == "Pasta timer set for 8 minutes; it will ring at 14:08."
    (job,) = world.scheduler.pending(kind="timer")
    assert job.label == "pasta"
    assert job.due == world.now + timedelta(minutes=8)


def test_timer_rings_once_due(world):
    timer.start(world.context("timer"), duration=timedelta(seconds=90), label=None)
    assert world.scheduler.fire_due() == []
    world.now += timedelta(seconds=90)
    (sent,) = world.scheduler.fire_due()
    assert sent.body == "Your timer for 1 minute 30 seconds is done."
    assert not sent.late
    assert world.notifications == [sent]
    assert world.scheduler.pending() == []


def test_timers_survive_a_restart_and_late_ones_ring_marked_late(world):
    timer.start(world.context("timer"), duration=timedelta(minutes=5), label="tea")
    timer.start(world.context("timer"), duration=timedelta(hours=1), label="oven")
    world = world.restart()
    world.now += timedelta(minutes=20)
    assert "oven timer has 40 minutes left" in timer.remaining(world.context("timer"), label="oven")
    (sent,) = world.scheduler.fire_due()
    assert sent.late and "tea" in sent.title
    world.close()


def test_timer_remaining_lists_several(world):
    timer.start(world.context("timer"), duration=timedelta(minutes=5), label="tea")
    timer.start(world.context("timer"), duration=timedelta(minutes=10), label=None)
    world.now += timedelta(minutes=1)
    reply = timer.remaining(world.context("timer"), label=None)
    assert reply == "You have 2 timers running. tea timer: 4 minutes; timer: 9 minutes."


def test_timer_cancel_by_label_most_recent_and_all(world):
    for minutes, label in ((5, "tea"), (6, "egg"), (7, None)):
        timer.start(world.context("timer"), duration=timedelta(minutes=minutes), label=label)
        world.now += timedelta(seconds=1)
    assert timer.cancel(world.context("timer"), label="egg").startswith("Cancelled your egg timer")
    reply = timer.cancel(world.context("timer", text="cancel the timer"), label=None)
    assert reply.startswith("Cancelled your timer") and "still have 1 running" in reply
    timer.start(world.context("timer"), duration=timedelta(minutes=5), label="rice")
    assert timer.cancel(world.context("timer", text="clear all my timers"), label=None) == "Cancelled all 2 timers."
    assert timer.cancel(world.context("timer"), label=None) == "You don't have any timers running."
    assert timer.cancel(world.context("timer"), label="pizza") == "You don't have a pizza timer running."


def test_notes_are_stored_and_read_back_newest_first_across_restarts(world):
    assert note.list_notes(world.context("note")).startswith("You don't have any notes yet")
    for i in range(7):
        note.add(world.context("note"), text=f"note number {i}.")
        world.now += timedelta(minutes=1)
    world = world.restart()
    reply = note.list_notes(world.context("note"))
    lines = reply.splitlines()
    assert lines[0] == "Your 5 latest notes of 7:"
    assert lines[1].startswith("1. note number 6 (today 14:0")
    assert len(lines) == 6
    assert (world.folder / "plugins-data" / "note.sqlite3").is_file()
    world.close()


def test_note_text_is_kept_verbatim(world):
    assert note.add(world.context("note"), text="Buy more coffee filters") == "Noted: “Buy more coffee filters”."


def test_clock_time_here_and_in_other_places(world):
    ctx = world.context("clock")
    assert clock.time_now(ctx, location=None) == "It's 14:00."
    assert clock.time_now(ctx, location="tokyo") == "It's 22:00 in Tokyo, UTC+9."
    assert clock.time_now(ctx, location="New York") == "It's 08:00 in New York, UTC-5."
    assert clock.time_now(ctx, location="India") == "It's 18:30 in India, UTC+5.5."
    assert "don't know the time zone of atlantis" in clock.time_now(ctx, location="atlantis")


def test_clock_time_says_when_it_is_another_day_there(world):
    world.now = world.now.replace(hour=23)
    assert clock.time_now(world.context("clock"), location="sydney") == "It's 09:00 in Sydney (tomorrow there), UTC+11."


def test_clock_date(world):
    from assistant.results import Slot

    assert clock.date_of(world.context("clock"), date=None) == "Today is Wednesday 25 November 2026."
    slot = Slot("date", "next friday", 16, 27)
    ctx = world.context("clock", text="what's the date next friday", slots=(slot,))
    assert clock.date_of(ctx, date=date(2026, 12, 4)) == "Next friday is Friday 4 December 2026 (in 9 days)."


@pytest.mark.parametrize(("hour", "greeting"), [(8, "Good morning"), (14, "Good afternoon"), (21, "Good evening")])
def test_greeting_follows_the_time_of_day(world, hour, greeting):
    world.now = world.now.replace(hour=hour)
    assert chat.greet(world.context("chat")).startswith(greeting)


def test_thanks_and_goodbye(world):
    assert chat.thanks(world.context("chat")) == "You're welcome!"
    assert chat.goodbye(world.context("chat")) == "Goodbye!"


class FakeCatalog:
    def describe(self):
        return [("timer", "Countdown timers", ["Start a countdown timer", "Cancel a timer"]),
                ("note", "Notes", ["Take a note", "Read notes"]),
                ("about", "About", ["Help"])]


def test_help_lists_plugins_and_a_topic(world):
    world.catalog = FakeCatalog()
    overview = about.help_(world.context("about"), topic=None)
    assert "- Countdown timers" in overview and "- Notes" in overview and "About" not in overview
    detail = about.help_(world.context("about"), topic="timers")
    assert detail.splitlines() == ["Here is what I can do with timers:", "- Start a countdown timer",
                                   "- Cancel a timer"]
    assert about.help_(world.context("about"), topic="knitting").startswith("I don't know anything about knitting")


def test_stats_reports_recent_latency(world):
    assert "first request" in about.stats(world.context("about"))
    for ms in (1, 2, 3):
        world.stats.record((StageTiming(Stage.MODEL, ms * 1_000_000), StageTiming(Stage.TOTAL, ms * 2_000_000)),
                           Energy(ms / 1000, "estimate", "test"))
    reply = about.stats(world.context("about"))
    assert reply.startswith("Over the last 3 requests, I answered in 4.0 ms (median)")
    assert "model 2.00 ms" in reply
    assert reply.endswith("Energy per request: 2.0 ± 1.0 mJ (estimated from CPU time, source: estimate).")

"""The persistent schedule: due jobs notify once, restarts keep them, the thread wakes on time."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from assistant.scheduler import JobScheduler, PluginScheduler


class Clock:
    def __init__(self) -> None:
        self.t = 1_800_000_000.0

    def __call__(self) -> float:
        return self.t


def at(clock: Clock, seconds: float) -> datetime:
    return datetime.fromtimestamp(clock.t + seconds).astimezone()


def test_jobs_fire_once_in_due_order(tmp_path):
    clock, sent = Clock(), []
    scheduler = JobScheduler(tmp_path / "a.sqlite3", sent.append, clock)
    scheduler.schedule("timer", "timer", at(clock, 20), "second", label="b")
    scheduler.schedule("timer", "timer", at(clock, 10), "first", label="a")
    clock.t += 30
    assert [n.body for n in scheduler.fire_due()] == ["first", "second"]
    assert scheduler.fire_due() == []
    assert sent[0].title == "Timer “a”" and sent[0].source == "timer"
    scheduler.stop()


def test_cancel_only_touches_the_owning_plugin(tmp_path):
    clock = Clock()
    scheduler = JobScheduler(tmp_path / "a.sqlite3", lambda n: None, clock)
    mine, theirs = PluginScheduler(scheduler, "timer"), PluginScheduler(scheduler, "alarm")
    job = mine.schedule("timer", at(clock, 60), "done")
    assert not theirs.cancel(job.id)
    assert theirs.pending() == []
    assert mine.cancel(job.id)
    assert mine.pending() == []
    scheduler.stop()


def test_pending_jobs_survive_a_restart_and_fire_late(tmp_path):
    clock = Clock()
    first = JobScheduler(tmp_path / "a.sqlite3", lambda n: None, clock)
    first.schedule("timer", "timer", at(clock, 60), "tea is ready", label="tea")
    first.stop()
    clock.t += 3600
    sent = []
    second = JobScheduler(tmp_path / "a.sqlite3", sent.append, clock)
    (notification,) = second.fire_due()
    assert notification.late and notification.body == "tea is ready"
    second.stop()


def test_a_broken_listener_does_not_stop_the_schedule(tmp_path):
    clock = Clock()

    def broken(_notification):
        raise RuntimeError("listener bug")

    scheduler = JobScheduler(tmp_path / "a.sqlite3", broken, clock)
    scheduler.schedule("timer", "timer", at(clock, 0), "x")
    assert len(scheduler.fire_due()) == 1
    scheduler.stop()


def test_the_background_thread_notifies_when_a_job_falls_due(tmp_path):
    fired = threading.Event()
    scheduler = JobScheduler(tmp_path / "a.sqlite3", lambda n: fired.set())
    scheduler.start()
    scheduler.schedule("timer", "timer", datetime.now().astimezone() + timedelta(milliseconds=300), "soon")
    assert fired.wait(5)
    scheduler.stop()

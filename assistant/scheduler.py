"""Persistent jobs (timers, alarms, reminders) that notify when due, even after a restart.

Jobs live in SQLite; a background thread sleeps until the next one is due. A job that fell due
while the assistant was not running fires at the next start, marked late.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from assistant.plugin_api import Job
from assistant.results import Notification
from assistant.storage import connect

log = logging.getLogger(__name__)

LATE_AFTER_S = 60.0
"""A job fired this long after its time was missed (the assistant was not running)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plugin TEXT NOT NULL,
    kind TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    due REAL NOT NULL,
    created REAL NOT NULL,
    message TEXT NOT NULL,
    fired REAL
);
CREATE INDEX IF NOT EXISTS jobs_pending ON jobs (fired, due);
"""


def _job(row: sqlite3.Row | tuple) -> Job:
    id_, plugin, kind, label, due, created, message = row
    return Job(id=id_, plugin=plugin, kind=kind, label=label, due=datetime.fromtimestamp(due).astimezone(),
               created=datetime.fromtimestamp(created).astimezone(), message=message)


class JobScheduler:
    def __init__(self, database: Path, on_due: Callable[[Notification], None],
                 clock: Callable[[], float] = time.time) -> None:
        self._db = connect(database)
        self._db.executescript(_SCHEMA)
        self._on_due = on_due
        self._clock = clock
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None
        self._stopping = False

    def schedule(self, plugin: str, kind: str, due: datetime, message: str, label: str = "") -> Job:
        now = self._clock()
        with self._wake:
            cursor = self._db.execute(
                "INSERT INTO jobs (plugin, kind, label, due, created, message) VALUES (?, ?, ?, ?, ?, ?)",
                (plugin, kind, label, due.timestamp(), now, message))
            job_id = cursor.lastrowid
            self._wake.notify_all()
        assert job_id is not None
        return Job(job_id, plugin, kind, label, due.astimezone(), datetime.fromtimestamp(now).astimezone(), message)

    def cancel(self, plugin: str, job_id: int) -> bool:
        with self._wake:
            cursor = self._db.execute("DELETE FROM jobs WHERE id = ? AND plugin = ? AND fired IS NULL",
                                      (job_id, plugin))
            self._wake.notify_all()
            return cursor.rowcount > 0

    def pending(self, plugin: str | None = None, kind: str | None = None) -> list[Job]:
        query = "SELECT id, plugin, kind, label, due, created, message FROM jobs WHERE fired IS NULL"
        params: list[str] = []
        if plugin is not None:
            query += " AND plugin = ?"
            params.append(plugin)
        if kind is not None:
            query += " AND kind = ?"
            params.append(kind)
        with self._lock:
            rows = self._db.execute(query + " ORDER BY due", params).fetchall()
        return [_job(r) for r in rows]

    def fire_due(self) -> list[Notification]:
        """Mark every due job fired and notify; returns what was sent (tests call this directly)."""
        now = self._clock()
        with self._lock:
            rows = self._db.execute(
                "SELECT id, plugin, kind, label, due, created, message FROM jobs WHERE fired IS NULL AND due <= ? "
                "ORDER BY due", (now,)).fetchall()
            if rows:
                self._db.executemany("UPDATE jobs SET fired = ? WHERE id = ?", [(now, r[0]) for r in rows])
        sent = []
        for row in rows:
            job = _job(row)
            late = now - job.due.timestamp() > LATE_AFTER_S
            title = job.kind.capitalize() + (f" “{job.label}”" if job.label else "")
            notification = Notification(title=title, body=job.message, source=job.plugin,
                                        when=job.due.timestamp(), late=late)
            try:
                self._on_due(notification)
            except Exception:  # a broken listener must not stop the schedule
                log.exception("notification listener failed")
            sent.append(notification)
        return sent

    def _next_due(self) -> float | None:
        row = self._db.execute("SELECT MIN(due) FROM jobs WHERE fired IS NULL").fetchone()
        return float(row[0]) if row and row[0] is not None else None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="scheduler", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            self.fire_due()
            with self._wake:
                if self._stopping:
                    return
                next_due = self._next_due()
                wait = 30.0 if next_due is None else min(30.0, max(0.0, next_due - self._clock()))
                self._wake.wait(timeout=wait + 0.01)
                if self._stopping:
                    return

    def stop(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=2)
        self._db.close()


class PluginScheduler:
    """One plugin's view of the schedule (what ``Context.scheduler`` is)."""

    def __init__(self, scheduler: JobScheduler, plugin: str) -> None:
        self._scheduler = scheduler
        self._plugin = plugin

    def schedule(self, kind: str, due: datetime, message: str, label: str = "") -> Job:
        return self._scheduler.schedule(self._plugin, kind, due, message, label)

    def cancel(self, job_id: int) -> bool:
        return self._scheduler.cancel(self._plugin, job_id)

    def pending(self, kind: str | None = None) -> list[Job]:
        return self._scheduler.pending(self._plugin, kind)

"""Every answered request's timings and energy, kept in SQLite so `assistant stats` can report later.

Writes happen on a background thread, so recording never adds to a reply's latency; dry runs are
not recorded (they must leave nothing behind).
"""

from __future__ import annotations

import json
import queue
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from assistant.results import Turn
from assistant.storage import connect

BATCH_WAIT_S = 0.25
"""The writer waits this long for more requests before committing what it has."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session TEXT NOT NULL,
    at REAL NOT NULL,
    kind TEXT NOT NULL,
    intent TEXT,
    stages TEXT NOT NULL,
    energy_j REAL,
    energy_source TEXT,
    energy_note TEXT
);
CREATE INDEX IF NOT EXISTS requests_session ON requests (session, at);
"""


@dataclass(frozen=True)
class RequestRecord:
    session: str
    at: float
    kind: str
    intent: str | None
    stages_ms: dict[str, float]
    stages_j: dict[str, float]
    energy_j: float | None
    energy_source: str | None
    energy_note: str | None


def new_session_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]


class StatsLog:
    def __init__(self, path: Path, session: str | None = None) -> None:
        self.path = path
        self.session = session or new_session_id()
        self._queue: queue.Queue[Turn | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    def append(self, turn: Turn) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._write_loop, name="stats-log", daemon=True)
            self._thread.start()
        self._queue.put(turn)

    def _write_loop(self) -> None:
        """Writes in batches: one commit per quiet moment rather than per request."""
        connection = connect(self.path)
        connection.executescript(_SCHEMA)
        running = True
        while running:
            batch = [self._queue.get()]
            while True:
                try:
                    batch.append(self._queue.get(timeout=BATCH_WAIT_S))
                except queue.Empty:
                    break
            turns = [t for t in batch if t is not None]
            running = len(turns) == len(batch)
            connection.execute("BEGIN")  # the connection autocommits; one transaction per batch
            connection.executemany(
                "INSERT INTO requests (session, at, kind, intent, stages, energy_j, energy_source, energy_note) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [self._row(turn) for turn in turns])
            connection.execute("COMMIT")
        connection.close()

    def _row(self, turn: Turn) -> tuple[object, ...]:
        intent = (turn.intent_for_slots or turn.parse.intent.name) if turn.parse is not None else None
        stages = {t.stage.value: [t.ns, t.joules] for t in turn.timings}
        energy = turn.energy
        return (self.session, time.time(), turn.kind.value, intent, json.dumps(stages),
                energy.joules if energy else None, energy.source if energy else None, energy.note if energy else None)

    def close(self) -> None:
        """Write what is queued and stop the writer."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=5)
            self._thread = None


def read_requests(path: Path, session: str | None = None, limit: int = 500) -> list[RequestRecord]:
    """Recorded requests, oldest first: of one session, or the most recent ``limit`` of all."""
    if not path.is_file():
        return []
    connection = sqlite3.connect(path)
    try:
        query = ("SELECT session, at, kind, intent, stages, energy_j, energy_source, energy_note FROM requests "
                 + ("WHERE session = ? " if session else "") + "ORDER BY at DESC, id DESC LIMIT ?")
        rows = connection.execute(query, (session, limit) if session else (limit,)).fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        connection.close()
    records = []
    for s, at, kind, intent, stages, energy_j, source, note in reversed(rows):
        parsed = json.loads(stages)
        records.append(RequestRecord(
            s, at, kind, intent, {k: v[0] / 1e6 for k, v in parsed.items()},
            {k: v[1] for k, v in parsed.items() if v[1] is not None}, energy_j, source, note))
    return records


def latest_session(path: Path) -> str | None:
    if not path.is_file():
        return None
    connection = sqlite3.connect(path)
    try:
        row = connection.execute("SELECT session FROM requests ORDER BY at DESC, id DESC LIMIT 1").fetchone()
    except sqlite3.OperationalError:
        return None
    finally:
        connection.close()
    return str(row[0]) if row else None

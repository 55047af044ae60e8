"""What a plugin's handler code sees: the ``handler`` decorator, its ``Context`` and ``Reply``.

A handler receives each slot the intent declares as a keyword argument, already normalised to
the slot's type (``duration`` is a ``timedelta``, ``time`` a ``datetime.time`` ...), or None
when the user did not say it::

    @handler("timer.start")
    def start(ctx: Context, duration: timedelta, label: str | None) -> str:
        ...
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from assistant.results import ParseResult
from assistant.stats import EnergySummary

HANDLER_ATTRIBUTE = "__assistant_handler__"
DEFAULT_TIMEOUT_S = 5.0

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class HandlerInfo:
    intent: str
    timeout_s: float


def handler(intent: str, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> Callable[[F], F]:
    """Mark a function as the handler of ``intent``; the loader finds it in the plugin's module."""

    def mark(function: F) -> F:
        setattr(function, HANDLER_ATTRIBUTE, HandlerInfo(intent, timeout_s))
        return function

    return mark


@dataclass(frozen=True)
class Reply:
    """What a handler answers. A plain ``str`` return is the same as ``Reply(text)``."""

    text: str


@dataclass(frozen=True)
class Job:
    """Something due at a wall-clock time: a timer, an alarm, a reminder."""

    id: int
    plugin: str
    kind: str
    label: str
    due: datetime
    created: datetime
    message: str


class Scheduler(Protocol):
    """A plugin's view of the persistent schedule; jobs notify when due, even after a restart."""

    def schedule(self, kind: str, due: datetime, message: str, label: str = "") -> Job: ...

    def cancel(self, job_id: int) -> bool: ...

    def pending(self, kind: str | None = None) -> list[Job]: ...


class Notifier(Protocol):
    def __call__(self, title: str, body: str) -> None: ...


class Catalog(Protocol):
    """What the installed plugins can do (for help)."""

    def describe(self) -> list[tuple[str, str, list[str]]]:
        """(plugin, description, [intent description, ...]) for each enabled plugin."""
        ...


class StatsView(Protocol):
    def stage_percentiles(self) -> dict[str, tuple[float, float, int]]:
        """Stage name -> (p50 ms, p95 ms, samples) over the recent requests."""
        ...

    def energy_summary(self) -> EnergySummary | None:
        """Energy per request over the recent requests, with its source."""
        ...


@dataclass(frozen=True)
class Context:
    """The small world a handler acts in."""

    plugin: str
    request: ParseResult
    now: datetime
    """The time of the request, timezone-aware local time."""
    database: Callable[[], sqlite3.Connection]
    """Opens (once) the plugin's own SQLite file in the user's data directory."""
    scheduler: Scheduler
    notify: Notifier
    catalog: Catalog
    stats: StatsView
    recent_intents: Sequence[str] = ()
    """Intents of the last few turns, newest last (the dialogue state a handler may use)."""

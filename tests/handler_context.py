"""Building real handler contexts (real SQLite, real scheduler) without the language model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from assistant.plugin_api import Context
from assistant.results import IntentScore, Notification, ParseResult, Slot
from assistant.scheduler import JobScheduler, PluginScheduler
from assistant.stats import StatsRecorder
from assistant.storage import PluginDatabases

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=ZoneInfo("Europe/Berlin"))  # a Wednesday


@dataclass
class World:
    """One user's data directory: databases, schedule and a controllable clock."""

    folder: Path
    now: datetime = NOW
    notifications: list[Notification] = field(default_factory=list)
    stats: StatsRecorder = field(default_factory=StatsRecorder)
    catalog: Any = None

    def __post_init__(self) -> None:
        self.databases = PluginDatabases(self.folder / "plugins-data")
        self.scheduler = JobScheduler(self.folder / "assistant.sqlite3", self.notifications.append,
                                      clock=self.timestamp)

    def timestamp(self) -> float:
        return self.now.timestamp()

    def context(self, plugin: str, text: str = "", intent: str = "x.y", slots: tuple[Slot, ...] = ()) -> Context:
        parse = ParseResult(text=text, intent=IntentScore(intent, 1.0), slots=slots)
        return Context(plugin=plugin, request=parse, now=self.now, database=partial(self.databases.get, plugin),
                       scheduler=PluginScheduler(self.scheduler, plugin),
                       notify=lambda title, body: self.notifications.append(Notification(title, body, plugin)),
                       catalog=self.catalog, stats=self.stats)

    def close(self) -> None:
        self.scheduler.stop()
        self.databases.close()

    def restart(self) -> World:
        """Close everything and open the same folder again, as a new process would."""
        self.close()
        return World(self.folder, self.now, catalog=self.catalog)


def call(function: Callable[..., str], ctx: Context, **slots: Any) -> str:
    return function(ctx, **slots)

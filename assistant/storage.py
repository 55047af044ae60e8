"""SQLite files in the user's data directory: one per plugin, opened only when first used.

A dry run never opens them, so understanding a request leaves no trace on disk.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from pathlib import Path

from assistant.paths import ensure


def connect(path: Path) -> sqlite3.Connection:
    """A connection usable from the handler threads; WAL keeps readers and the writer apart."""
    ensure(path.parent)
    connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=5.0)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


class PluginDatabases:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._connections: dict[str, sqlite3.Connection] = {}
        self._lock = threading.Lock()

    def path(self, plugin: str) -> Path:
        return self.folder / f"{re.sub(r'[^a-z0-9_-]', '_', plugin.lower())}.sqlite3"

    def get(self, plugin: str) -> sqlite3.Connection:
        with self._lock:
            if plugin not in self._connections:
                self._connections[plugin] = connect(self.path(plugin))
            return self._connections[plugin]

    def close(self) -> None:
        with self._lock:
            for connection in self._connections.values():
                connection.close()
            self._connections.clear()

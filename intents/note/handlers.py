"""Notes are kept in the plugin's own SQLite file and read back newest first."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from assistant.plugin_api import Context, handler

SHOWN = 5


def _db(ctx: Context) -> sqlite3.Connection:
    connection = ctx.database()
    connection.execute("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT NOT NULL, "
                       "created REAL NOT NULL)")
    return connection


@handler("note.add")
def add(ctx: Context, text: str) -> str:
    text = text.strip().rstrip(".")
    _db(ctx).execute("INSERT INTO notes (text, created) VALUES (?, ?)", (text, ctx.now.timestamp()))
    return f"Noted: “{text}”."


def _when(created: float, ctx: Context) -> str:
    moment = datetime.fromtimestamp(created).astimezone(ctx.now.tzinfo)
    if moment.date() == ctx.now.date():
        return f"today {moment:%H:%M}"
    return moment.strftime("%d %b")


@handler("note.list")
def list_notes(ctx: Context) -> str:
    connection = _db(ctx)
    total = connection.execute("SELECT COUNT(*) FROM notes").fetchone()[0]
    if not total:
        return "You don't have any notes yet. Say “take a note” and what it should say."
    rows = connection.execute("SELECT text, created FROM notes ORDER BY created DESC, id DESC LIMIT ?",
                              (SHOWN,)).fetchall()
    lines = [f"{i}. {text} ({_when(created, ctx)})" for i, (text, created) in enumerate(rows, start=1)]
    head = f"Your {len(rows)} latest notes of {total}:" if total > len(rows) else \
        f"You have {total} note{'s' if total > 1 else ''}:"
    return head + "\n" + "\n".join(lines)

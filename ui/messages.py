"""The conversation as a Qt list model: one row per message, built from the core's turns.

A model (rather than appending HTML to a text widget) keeps every message addressable: the view
can copy one, the delegate can show per-slot tooltips, and tests can read exactly what is shown.
"""

from __future__ import annotations

import enum
import html
import time
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from assistant import values
from assistant.results import Notification, Slot, Turn, TurnKind
from ui.highlight import highlighted_html

MESSAGE_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


class Role(enum.StrEnum):
    USER = "user"
    ASSISTANT = "assistant"
    QUESTION = "question"
    """The assistant asks for something it still needs (a follow-up for a missing slot)."""
    NOTE = "note"
    NOTIFICATION = "notification"
    ERROR = "error"


SPEAKERS = {Role.USER: "You", Role.ASSISTANT: "Assistant", Role.QUESTION: "Assistant", Role.NOTE: "Note",
            Role.NOTIFICATION: "Notification", Role.ERROR: "Problem"}


@dataclass(frozen=True)
class Message:
    role: Role
    text: str
    """Plain text: what Copy puts on the clipboard."""
    html: str
    """Rich text for the bubble (user words with highlighted slots)."""
    tooltip: str = ""
    slots: tuple[Slot, ...] = ()
    intent: str | None = None
    confidence: float | None = None
    spoken: bool = False
    when: float = field(default_factory=time.time)

    def accessible_text(self) -> str:
        return f"{SPEAKERS[self.role]}: {self.text}"


def describe_slot(slot: Slot) -> str:
    """“duration: 8 minutes” — the normalised value when there is one, else the raw words."""
    if slot.value is not None and slot.type is not None:
        try:
            return f"{slot.name}: {values.describe(slot.type, slot.value)}"
        except Exception:  # a plugin's odd value must not break a tooltip
            return f"{slot.name}: {slot.value}"
    return f"{slot.name}: “{slot.raw}”"


def _plain_html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _exact_html(body: str) -> str:
    """Keep the user's spacing and line breaks, so character offsets in the bubble match the text."""
    return f'<div style="white-space:pre-wrap">{body}</div>'


def messages_for_turn(turn: Turn) -> list[Message]:
    """The user's words (slots highlighted, intent and confidence on hover), then the reply and notes."""
    parse = turn.parse
    spoken = turn.transcript is not None
    if parse is not None:
        intent = turn.intent_for_slots or parse.intent.name
        lines = [f"{intent} · {parse.intent.confidence:.0%} confident"]
        lines += [describe_slot(s) for s in sorted(parse.slots, key=lambda s: s.start)]
        if spoken and turn.transcript is not None:
            lines.append(f"heard by {turn.transcript.engine}")
        user = Message(Role.USER, parse.text, _exact_html(highlighted_html(parse)), "\n".join(lines),
                       parse.slots, intent, parse.intent.confidence, spoken)
    else:
        user = Message(Role.USER, turn.text, _exact_html(html.escape(turn.text)), "not understood", spoken=spoken)
    out = [user]
    if turn.reply:
        role = Role.QUESTION if turn.kind is TurnKind.QUESTION else Role.ASSISTANT
        out.append(Message(role, turn.reply, _plain_html(turn.reply)))
    out += [Message(Role.NOTE, note, _plain_html(note)) for note in turn.notes]
    return out


def message_for_notification(notification: Notification) -> Message:
    late = " (while the assistant was closed)" if notification.late else ""
    text = f"{notification.title}: {notification.body}{late}"
    body = f"<b>{html.escape(notification.title)}</b> — {_plain_html(notification.body)}{html.escape(late)}"
    return Message(Role.NOTIFICATION, text, body, f"from the {notification.source} plugin")


def message_for_error(text: str) -> Message:
    return Message(Role.ERROR, text, _plain_html(text))


class MessageModel(QAbstractListModel):
    """Messages in the order they happened; append-only except for :meth:`clear`."""

    def __init__(self) -> None:
        super().__init__()
        self._messages: list[Message] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._messages)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._messages):
            return None
        message = self._messages[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return message.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return message.tooltip or None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return message.accessible_text()
        if role == MESSAGE_ROLE:
            return message
        return None

    def append(self, messages: list[Message]) -> None:
        if not messages:
            return
        first = len(self._messages)
        self.beginInsertRows(QModelIndex(), first, first + len(messages) - 1)
        self._messages.extend(messages)
        self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._messages.clear()
        self.endResetModel()

    def message(self, row: int) -> Message:
        return self._messages[row]

    def messages(self) -> list[Message]:
        return list(self._messages)

"""The main window: the conversation, an input line, and how the last request was understood."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from assistant.results import Notification, Turn
from ui.bridge import CoreBridge
from ui.highlight import highlighted_html


class InputLine(QLineEdit):
    """Enter sends; Up and Down walk through what was sent before."""

    def __init__(self) -> None:
        super().__init__()
        self.history: list[str] = []
        self._cursor = 0

    def remember(self, text: str) -> None:
        self.history.append(text)
        self._cursor = len(self.history)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Up and self.history:
            self._cursor = max(0, self._cursor - 1)
            self.setText(self.history[self._cursor])
        elif event.key() == Qt.Key.Key_Down and self.history:
            self._cursor = min(len(self.history), self._cursor + 1)
            self.setText(self.history[self._cursor] if self._cursor < len(self.history) else "")
        else:
            super().keyPressEvent(event)


class MainWindow(QMainWindow):
    def __init__(self, bridge: CoreBridge) -> None:
        super().__init__()
        self.bridge = bridge
        self.setWindowTitle("Desk Assistant")
        self.resize(720, 560)
        self.transcript = QTextBrowser()
        self.transcript.setAccessibleName("Conversation")
        self.transcript.setOpenLinks(False)
        self.input = InputLine()
        self.input.setAccessibleName("Request")
        self.input.setPlaceholderText("Loading the language model…")
        self.input.setEnabled(False)
        self.send = QPushButton("Send")
        self.send.setAccessibleName("Send request")
        self.send.setEnabled(False)
        self.understanding = QLabel("")
        self.understanding.setAccessibleName("How the last request was understood")
        self.understanding.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(self.input, 1)
        row.addWidget(self.send)
        layout = QVBoxLayout()
        layout.addWidget(self.transcript, 1)
        layout.addWidget(self.understanding)
        layout.addLayout(row)
        central = QWidget()
        central.setLayout(layout)
        self.setCentralWidget(central)
        self.input.returnPressed.connect(self.submit)
        self.send.clicked.connect(self.submit)
        bridge.ready.connect(self.on_ready)
        bridge.failed.connect(self.on_failed)
        bridge.turn_finished.connect(self.on_turn)
        bridge.notification.connect(self.on_notification)

    def on_ready(self, _assistant: object) -> None:
        self.input.setEnabled(True)
        self.send.setEnabled(True)
        self.input.setPlaceholderText("Type a request, e.g. “set a pasta timer for 8 minutes”")
        self.input.setFocus()

    def on_failed(self, message: str) -> None:
        self._append("system", html.escape(message))

    def submit(self) -> None:
        text = self.input.text()
        if not text.strip():
            return
        self.input.remember(text)
        self.input.clear()
        self.bridge.ask(text)

    def on_turn(self, turn: Turn) -> None:
        user = highlighted_html(turn.parse) if turn.parse is not None else html.escape(turn.text)
        self._append("you", user)
        if turn.reply:
            self._append("assistant", html.escape(turn.reply).replace("\n", "<br>"))
        for note in turn.notes:
            self._append("note", html.escape(note))
        if turn.parse is not None:
            intent = turn.intent_for_slots or turn.parse.intent.name
            slots = ", ".join(f"{s.name}={s.raw!r}" for s in turn.parse.slots)
            ms = " · ".join(f"{k} {v:.2f} ms" for k, v in turn.timings_ms().items())
            self.understanding.setText(f"{intent} ({turn.parse.intent.confidence:.0%}) {slots}\n{ms}")

    def on_notification(self, notification: Notification) -> None:
        self._append("🔔", f"<b>{html.escape(notification.title)}</b>: {html.escape(notification.body)}")

    def _append(self, who: str, body_html: str) -> None:
        self.transcript.append(f"<p><b>{html.escape(who)}:</b> {body_html}</p>")

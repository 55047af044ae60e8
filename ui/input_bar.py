"""Where requests are typed: Enter sends, Up/Down walk the history, Escape clears the line."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from ui.icons import icon


class InputLine(QLineEdit):
    """A line edit with shell-like history; what was being typed is kept when browsing away."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history: list[str] = []
        self._cursor = 0
        self._draft = ""

    def remember(self, text: str) -> None:
        if not self.history or self.history[-1] != text:
            self.history.append(text)
        self._cursor = len(self.history)
        self._draft = ""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Up and self.history:
            if self._cursor == len(self.history):
                self._draft = self.text()
            self._cursor = max(0, self._cursor - 1)
            self.setText(self.history[self._cursor])
        elif key == Qt.Key.Key_Down and self.history:
            self._cursor = min(len(self.history), self._cursor + 1)
            self.setText(self.history[self._cursor] if self._cursor < len(self.history) else self._draft)
        elif key == Qt.Key.Key_Escape and self.text():
            self.clear()
        else:
            super().keyPressEvent(event)


class InputBar(QWidget):
    """The request line and its Send button; emits :attr:`submitted` with non-blank text."""

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line = InputLine()
        self.line.setAccessibleName("Request")
        self.line.setAccessibleDescription("Type a request and press Enter; Up recalls earlier ones")
        self.line.setClearButtonEnabled(True)
        self.send = QPushButton(icon("send"), "&Send")
        self.send.setAccessibleName("Send request")
        self.send.setToolTip("Send (Enter)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.send)
        self.line.returnPressed.connect(self.submit)
        self.send.clicked.connect(self.submit)
        self.set_ready(False)

    def set_ready(self, ready: bool, placeholder: str | None = None) -> None:
        self.line.setEnabled(ready)
        self.send.setEnabled(ready)
        self.line.setPlaceholderText(placeholder or ("Type a request, e.g. “set a pasta timer for 8 minutes”"
                                                     if ready else "Loading the language model…"))

    def submit(self) -> None:
        text = self.line.text()
        if not text.strip() or not self.line.isEnabled():
            return
        self.line.remember(text)
        self.line.clear()
        self.submitted.emit(text)

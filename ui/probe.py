"""Start-up timestamps for the benchmarks: ``ASSISTANT_GUI_PROBE=1`` prints them as JSON lines.

``shown`` is printed once the window's first frame is on screen, ``ready`` when the core has
opened, ``reply`` when the first answer arrives. ``ASSISTANT_GUI_PROBE_ASK`` types a request as
soon as the core is ready, and ``ASSISTANT_GUI_PROBE_EXIT=1`` quits after the last event, so
benchmarks/gui_startup.py can time a real ``assistant gui`` launch end to end.
"""

from __future__ import annotations

import json
import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from ui.main_window import MainWindow


def enabled() -> bool:
    return bool(os.environ.get("ASSISTANT_GUI_PROBE"))


def emit(event: str, **extra: object) -> None:
    print(json.dumps({"event": event, "t": time.time(), **extra}), flush=True, file=sys.stdout)


class StartupProbe(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ask = os.environ.get("ASSISTANT_GUI_PROBE_ASK", "")
        self.exit = bool(os.environ.get("ASSISTANT_GUI_PROBE_EXIT"))
        self._shown = False
        window.bridge.ready.connect(self._ready)
        window.bridge.turn_finished.connect(self._reply)
        window.bridge.failed.connect(lambda message: emit("failed", message=message))

    def watch(self) -> None:
        """Call right after ``window.show()``: the native window exists from then on."""
        handle = self.window.windowHandle()
        if handle is not None:
            handle.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Expose and not self._shown:
            handle = self.window.windowHandle()
            if handle is not None and handle.isExposed():
                self._shown = True
                QTimer.singleShot(0, lambda: emit("shown"))  # after this expose has painted the frame
        return False

    def _ready(self, _snapshot: object) -> None:
        emit("ready")
        if self.ask:
            self.window.chat.input_bar.line.setText(self.ask)
            self.window.chat.input_bar.submit()
        elif self.exit:
            QTimer.singleShot(0, self._quit)

    def _reply(self, turn: object) -> None:
        emit("reply", text=getattr(turn, "reply", None))
        if self.exit:
            QTimer.singleShot(0, self._quit)

    def _quit(self) -> None:
        self.window.close()
        QApplication.quit()

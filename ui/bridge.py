"""The core on a worker thread, seen from Qt through queued signals.

Opening the model and answering requests run on a ``QThread``; results and core events come back
to the GUI thread as signals, so the window never waits on the model.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread, Signal, Slot

from assistant.engine import Assistant, Options
from assistant.errors import AssistantError


class CoreWorker(QObject):
    """Lives on the worker thread; every slot here runs there."""

    ready = Signal(object)
    failed = Signal(str)
    turn_finished = Signal(object)
    notification = Signal(object)

    def __init__(self, options: Options) -> None:
        super().__init__()
        self._options = options
        self.assistant: Assistant | None = None

    @Slot()
    def open(self) -> None:
        try:
            self.assistant = Assistant.open(self._options)
        except AssistantError as exc:
            self.failed.emit(str(exc))
            return
        self.assistant.events.notification.connect(self.notification.emit)
        self.ready.emit(self.assistant)

    @Slot(str)
    def handle(self, text: str) -> None:
        if self.assistant is None:
            return
        self.turn_finished.emit(self.assistant.handle(text))

    @Slot()
    def close(self) -> None:
        if self.assistant is not None:
            self.assistant.close()
            self.assistant = None


class CoreBridge(QObject):
    """Owned by the GUI thread; call :meth:`ask` and listen to the signals."""

    ready = Signal(object)
    failed = Signal(str)
    turn_finished = Signal(object)
    notification = Signal(object)
    _request = Signal(str)
    _open = Signal()
    _close = Signal()

    def __init__(self, options: Options, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("core")
        self._worker = CoreWorker(options)
        self._worker.moveToThread(self._thread)
        self._open.connect(self._worker.open)
        self._request.connect(self._worker.handle)
        self._close.connect(self._worker.close)
        for name in ("ready", "failed", "turn_finished", "notification"):
            getattr(self._worker, name).connect(getattr(self, name))
        self._thread.start()

    def start(self) -> None:
        self._open.emit()

    def ask(self, text: str) -> None:
        self._request.emit(text)

    def shutdown(self) -> None:
        self._close.emit()
        self._thread.quit()
        self._thread.wait(3000)

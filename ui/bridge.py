"""The core on a worker thread, seen from Qt through queued signals.

Opening the model, answering requests, reloading plugins and swapping models all run on one
``QThread`` that owns the :class:`~assistant.engine.Assistant`; results and core events come back
to the GUI thread as signals carrying immutable snapshots, so the window never waits on the core
and never touches it from the wrong thread.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot

from assistant.engine import Assistant, Options
from assistant.errors import AssistantError
from assistant.results import StageTiming, Transcript
from ui import snapshots
from ui.worker_thread import stop_thread, thread_for

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Request:
    """One request for the core: typed text, or a spoken one with its transcript and earlier stages."""

    text: str
    transcript: Transcript | None = None
    stages: tuple[StageTiming, ...] = ()
    started_ns: int | None = None


class CoreWorker(QObject):
    """Lives on the core thread; every slot here runs there."""

    ready = Signal(object)
    failed = Signal(str)
    turn_finished = Signal(object)
    stats_changed = Signal(object)
    plugins_changed = Signal(object)
    model_changed = Signal(object)
    notification = Signal(object)
    training_specs = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.assistant: Assistant | None = None

    @Slot(object)
    def open(self, options: Options) -> None:
        self.close()
        try:
            assistant = Assistant.open(options)
        except AssistantError as exc:
            self.failed.emit(str(exc))
            return
        self.assistant = assistant
        assistant.events.notification.connect(self.notification.emit)
        assistant.events.model_changed.connect(self._on_model_changed)
        assistant.events.plugins_reloaded.connect(self._on_plugins_reloaded)
        self.ready.emit(snapshots.core_snapshot(assistant))
        # One-off costs (imports, first inference) on their own thread, so a first request never queues behind them.
        threading.Thread(target=assistant.warm_up, name="warm-up", daemon=True).start()

    @Slot(object)
    def handle(self, request: Request) -> None:
        if self.assistant is None:
            self.failed.emit("The assistant is not ready yet.")
            return
        try:
            turn = self.assistant.handle(request.text, transcript=request.transcript, stages=request.stages,
                                         started_ns=request.started_ns)
        except Exception as exc:  # the engine answers politely; anything else must not kill the thread
            log.exception("request %r failed", request.text)
            self.failed.emit(f"Something went wrong answering “{request.text}”: {exc}")
            return
        self.turn_finished.emit(turn)
        self.stats_changed.emit(snapshots.stats_snapshot(self.assistant))

    @Slot(str, bool)
    def set_plugin_enabled(self, name: str, enabled: bool) -> None:
        if self.assistant is not None:
            self.assistant.registry.set_enabled(name, enabled)
            self.plugins_changed.emit(snapshots.plugins_snapshot(self.assistant))

    @Slot()
    def reload_plugins(self) -> None:
        if self.assistant is not None:
            self.assistant.reload_plugins()

    @Slot(object)
    def swap_model(self, directory: Path) -> None:
        if self.assistant is None:
            return
        try:
            self.assistant.swap_model(directory)
        except AssistantError as exc:
            self.failed.emit(f"The new model could not be loaded: {exc}")

    @Slot()
    def send_training_specs(self) -> None:
        if self.assistant is not None:
            self.training_specs.emit(snapshots.training_specs(self.assistant))

    @Slot()
    def close(self) -> None:
        if self.assistant is not None:
            self.assistant.close()
            self.assistant = None

    def _on_model_changed(self, _card: object) -> None:
        if self.assistant is not None:
            self.model_changed.emit(snapshots.model_snapshot(self.assistant))

    def _on_plugins_reloaded(self) -> None:
        if self.assistant is not None:
            self.plugins_changed.emit(snapshots.plugins_snapshot(self.assistant))
            self.model_changed.emit(snapshots.model_snapshot(self.assistant))


class CoreBridge(QObject):
    """Owned by the GUI thread: call the methods, listen to the signals (all delivered on the GUI thread)."""

    ready = Signal(object)
    """The core opened: a :class:`ui.snapshots.CoreSnapshot`."""
    failed = Signal(str)
    turn_finished = Signal(object)
    """A :class:`assistant.results.Turn`."""
    stats_changed = Signal(object)
    plugins_changed = Signal(object)
    model_changed = Signal(object)
    notification = Signal(object)
    training_specs = Signal(object)
    """The plugin declarations to train on, answering :meth:`request_training_specs`."""
    _open = Signal(object)
    _request = Signal(object)
    _set_enabled = Signal(str, bool)
    _reload = Signal()
    _swap = Signal(object)
    _specs = Signal()
    _close = Signal()

    def __init__(self, options: Options, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.options = options
        self.is_ready = False
        self._worker = CoreWorker()
        self._thread = thread_for(self._worker, "core")
        self._open.connect(self._worker.open)
        self._request.connect(self._worker.handle)
        self._set_enabled.connect(self._worker.set_plugin_enabled)
        self._reload.connect(self._worker.reload_plugins)
        self._swap.connect(self._worker.swap_model)
        self._specs.connect(self._worker.send_training_specs)
        self._close.connect(self._worker.close, Qt.ConnectionType.BlockingQueuedConnection)
        for name in ("ready", "failed", "turn_finished", "stats_changed", "plugins_changed", "model_changed",
                     "notification", "training_specs"):
            getattr(self._worker, name).connect(getattr(self, name))
        self.ready.connect(self._mark_ready)
        self._thread.start()

    def _mark_ready(self, _snapshot: object) -> None:
        self.is_ready = True

    def start(self) -> None:
        self._open.emit(self.options)

    def reopen(self, options: Options) -> None:
        """Open the core again with new options (model folder, threads, threshold)."""
        self.options = options
        self.is_ready = False
        self._open.emit(options)

    def ask(self, text: str, *, transcript: Transcript | None = None, stages: tuple[StageTiming, ...] = (),
            started_ns: int | None = None) -> None:
        self._request.emit(Request(text, transcript, stages, started_ns))

    def set_plugin_enabled(self, name: str, enabled: bool) -> None:
        self._set_enabled.emit(name, enabled)

    def reload_plugins(self) -> None:
        self._reload.emit()

    def swap_model(self, directory: Path) -> None:
        self._swap.emit(directory)

    def request_training_specs(self) -> None:
        self._specs.emit()

    def shutdown(self) -> None:
        stop_thread(self._thread, self._close, 5000)

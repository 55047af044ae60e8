"""Retraining from the window: build the training set, train off the GUI thread, report progress.

The worker lives on its own ``QThread``. It hands the plugin declarations to a runner (by default
a child process that builds the training set exactly as ``assistant train`` does and trains, see
:mod:`ui.train_process`) and relays progress as queued signals.
Cancel is a ``threading.Event`` the GUI sets directly; the old model stays until the new one is
complete, and the window swaps the new one in on the core thread without a restart.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from assistant.cli.train_cmd import command_flags
from assistant.errors import AssistantError
from assistant.plugins.spec import PluginSpec
from assistant.training.config import TrainConfig
from assistant.training.progress import Progress
from ui.train_process import RetrainCancelled, Runner, TrainedModel, train_in_subprocess

log = logging.getLogger(__name__)

QUICK = {"teacher": None, "epochs": 4, "per_intent": 120, "final_epochs": 0, "fit_groups": False}
"""The quick recipe: no teacher, fewer epochs and samples, grouped layers cut rather than fitted (the fit
was measured with a fine-tuned teacher only). The default is the full ``assistant train``."""


def retrain_config(output: Path, quick: bool = False) -> TrainConfig:
    config = TrainConfig(output=output)
    return replace(config, **QUICK) if quick else config  # type: ignore[arg-type]


def retrain_command(quick: bool, user_plugins: bool = True) -> str:
    """The equivalent command line, recorded in the model card."""
    flags = " " + command_flags(QUICK) if quick else ""
    flags += "" if user_plugins else " --no-user-plugins"
    return f"assistant train{flags} (started from the window)"


@dataclass(frozen=True)
class RetrainJob:
    specs: tuple[PluginSpec, ...]
    config: TrainConfig
    command: str


def format_duration(seconds: float) -> str:
    if seconds < 60:
        return f"{max(1, round(seconds))} s"
    if seconds < 3600:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"


class ProgressTracker:
    """Turns per-phase progress (teacher, student, final) into one bar and one ETA for the whole run."""

    def __init__(self, config: TrainConfig) -> None:
        self.phases = {"teacher": config.teacher_epochs if config.teacher else 0, "student": config.epochs,
                       "final": config.final_epochs if config.holdout > 0 else 0}
        self.total = max(1, sum(self.phases.values()))
        self.fraction = 0.0
        self.eta_s: float | None = None

    def update(self, progress: Progress) -> None:
        if progress.phase not in self.phases or not progress.steps:
            return
        done_before = sum(e for name, e in self.phases.items() if list(self.phases).index(name) <
                          list(self.phases).index(progress.phase))
        epochs = self.phases[progress.phase] or progress.epochs
        self.fraction = min(1.0, (done_before + progress.fraction * epochs) / self.total)
        if progress.eta_s is not None and progress.step > 0:
            per_epoch = progress.elapsed_s / (progress.fraction * epochs) if progress.fraction else 0.0
            later = sum(e for name, e in self.phases.items() if list(self.phases).index(name) >
                        list(self.phases).index(progress.phase))
            self.eta_s = progress.eta_s + per_epoch * later

    def describe(self, progress: Progress) -> str:
        if progress.message:
            return f"{progress.phase}: {progress.message}"
        loss = f" · loss {progress.loss:.3f}" if progress.loss is not None else ""
        eta = f" · about {format_duration(self.eta_s)} left" if self.eta_s is not None else ""
        return f"{progress.phase} · epoch {progress.epoch} of {progress.epochs}{loss}{eta}"


class RetrainWorker(QObject):
    """Lives on the training thread; :meth:`run` blocks it until training ends."""

    progress = Signal(object)
    log_line = Signal(str)
    finished = Signal(object)
    cancelled = Signal()
    failed = Signal(str)

    def __init__(self, runner: Runner) -> None:
        super().__init__()
        self.runner = runner
        self.cancel_event = threading.Event()

    @Slot(object)
    def run(self, job: RetrainJob) -> None:
        started = time.monotonic()
        try:
            result = self.runner(job.specs, job.config, job.command, self.progress.emit, self.cancel_event)
        except RetrainCancelled:
            self.log_line.emit("Cancelled; the previous model stays in use.")
            self.cancelled.emit()
        except AssistantError as exc:
            self.log_line.emit(f"Training failed: {exc}")
            self.failed.emit(str(exc).partition("\n")[0])
        except Exception as exc:  # a bug in training must not kill the window
            log.exception("retraining failed")
            self.log_line.emit(f"Training failed: {exc!r}")
            self.failed.emit(str(exc) or type(exc).__name__)
        else:
            self.log_line.emit(f"Finished in {format_duration(time.monotonic() - started)}: wrote {result.directory}.")
            self.finished.emit(result)


class RetrainController(QObject):
    """Owned by the GUI thread: :meth:`start` a job, :meth:`cancel` it, listen to the signals."""

    started = Signal()
    progress = Signal(object)
    """A :class:`Progress`; :attr:`tracker` holds the overall fraction and ETA."""
    log_line = Signal(str)
    finished = Signal(object)
    """A :class:`TrainedModel`."""
    cancelled = Signal()
    failed = Signal(str)
    _run = Signal(object)

    def __init__(self, runner: Runner = train_in_subprocess, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("training")
        self._worker = RetrainWorker(runner)
        self._worker.moveToThread(self._thread)
        self._run.connect(self._worker.run)
        self._worker.progress.connect(self._on_progress)
        self._worker.log_line.connect(self.log_line)
        self._worker.finished.connect(self._on_finished)
        self._worker.cancelled.connect(self._on_cancelled)
        self._worker.failed.connect(self._on_failed)
        self.running = False
        self.tracker: ProgressTracker | None = None
        self._thread.start()

    def start(self, job: RetrainJob) -> None:
        if self.running:
            return
        self.running = True
        self.tracker = ProgressTracker(job.config)
        self._worker.cancel_event.clear()
        self.started.emit()
        self._run.emit(job)

    def cancel(self) -> None:
        if self.running:
            self._worker.cancel_event.set()

    @Slot(object)
    def _on_progress(self, progress: Progress) -> None:
        if self.tracker is not None:
            self.tracker.update(progress)
        if progress.message:
            self.log_line.emit(f"[{progress.phase}] {progress.message}")
        self.progress.emit(progress)

    @Slot(object)
    def _on_finished(self, result: TrainedModel) -> None:
        self.running = False
        self.finished.emit(result)

    @Slot()
    def _on_cancelled(self) -> None:
        self.running = False
        self.cancelled.emit()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.running = False
        self.failed.emit(message)

    def shutdown(self) -> None:
        """Cancel a running job and stop the thread (the child process is stopped by the runner)."""
        self.cancel()
        self._thread.quit()
        self._thread.wait(30_000 if self.running else 3000)

"""Running ``train_model`` in a child process, reporting progress and honouring cancel.

Why a process and not just a thread: importing PyTorch (hundreds of megabytes of shared
libraries) and its per-step Python work hold the GIL long enough to freeze the window for up to
~280 ms at a time (measured in benchmarks/gui_stalls.py). In a child process the window
keeps the GIL to itself; the child also runs at a lower priority, and its memory is returned
to the system when training ends.

The parent side stays light: it sends the plugin declarations, and the child builds the training
set exactly as ``assistant train`` does (:func:`training_data`) and trains; building and pickling
thousands of utterances would otherwise hold the window's GIL for tens of milliseconds. The
parent never imports torch: progress travels as :class:`Progress` (plain data), the result
as the model card's JSON, and cancel as a message the child turns into the ``threading.Event``
that ``train_model`` checks between steps. Qt-free on purpose.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from assistant.errors import TrainingError
from assistant.nlu.modelcard import ModelCard
from assistant.nlu.training_set import TrainingSet, build_training_set, general_negatives
from assistant.plugins.spec import PluginSpec
from assistant.training.config import TrainConfig
from assistant.training.progress import Progress, TrainingCancelled

log = logging.getLogger(__name__)

CANCEL_GRACE_S = 20.0
"""How long a cancelled child may take to reach its next step before it is terminated."""
CHILD_NICENESS = 10


class RetrainCancelled(TrainingError):
    """The user cancelled; the previous model is untouched."""


@dataclass(frozen=True)
class TrainedModel:
    card: ModelCard
    directory: Path


ProgressSink = Callable[[Progress], None]
Specs = tuple[PluginSpec, ...]
Runner = Callable[[Specs, TrainConfig, str, ProgressSink, threading.Event], TrainedModel]


def training_data(specs: Specs, config: TrainConfig) -> TrainingSet:
    """The training set ``assistant train`` builds (assistant/cli/train_cmd.py) for these plugins."""
    return build_training_set(list(specs), general_negatives(), per_intent=config.per_intent, holdout=config.holdout,
                              seed=config.seed)


def _train(specs: Specs, config: TrainConfig, command: str, progress: ProgressSink,
           cancel: threading.Event) -> TrainedModel:
    """Build the data and train (in whichever process calls it); raises :class:`RetrainCancelled`."""
    from assistant.training.pipeline import train_model

    data = training_data(specs, config)
    progress(Progress("data", message=f"Training on {len(data.train)} utterances for "
                                           f"{len(data.labels.intents) - 1} intents from {len(specs)} plugins "
                                           f"({len(data.heldout)} held out)."))
    try:
        result = train_model(data, config, command, progress, cancel)
    except TrainingCancelled:
        raise RetrainCancelled("training cancelled") from None
    return TrainedModel(result.card, result.directory)


def _child(results: Connection, control: Connection, specs: Specs, config: TrainConfig, command: str) -> None:
    """The child process: train, streaming ("progress" | "done" | "cancelled" | "failed", payload)."""
    with contextlib.suppress(OSError):
        os.nice(CHILD_NICENESS)
    cancel = threading.Event()

    def watch() -> None:
        with contextlib.suppress(EOFError, OSError):
            control.recv()
        cancel.set()  # "cancel" or the parent went away

    threading.Thread(target=watch, name="cancel-watch", daemon=True).start()
    try:
        result = _train(specs, config, command, lambda p: results.send(("progress", p)), cancel)
        results.send(("done", (result.card.to_json(), str(result.directory))))
    except RetrainCancelled:
        results.send(("cancelled", None))
    except Exception as exc:
        results.send(("failed", f"{exc}\n\n{traceback.format_exc()}"))


def train_in_subprocess(specs: Specs, config: TrainConfig, command: str, progress: ProgressSink,
                        cancel: threading.Event, poll_s: float = 0.1) -> TrainedModel:
    """Train in a spawned child; blocks the calling (worker) thread until it ends.

    Raises :class:`RetrainCancelled` when ``cancel`` was set, :class:`TrainingError` when training failed.
    """
    context = multiprocessing.get_context("spawn")
    results_in, results_out = context.Pipe(duplex=False)
    control_in, control_out = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(results_out, control_in, specs, config, command),
                              name="assistant-train", daemon=True)
    process.start()
    results_out.close()
    control_in.close()
    deadline: float | None = None
    try:
        while True:
            if cancel.is_set() and deadline is None:
                with contextlib.suppress(OSError):
                    control_out.send("cancel")
                deadline = time.monotonic() + CANCEL_GRACE_S
            if deadline is not None and time.monotonic() > deadline:
                raise RetrainCancelled("training cancelled (the training process was stopped)")
            if not results_in.poll(poll_s):
                if not process.is_alive() and not results_in.poll():
                    raise TrainingError(f"the training process ended unexpectedly (exit code {process.exitcode})")
                continue
            try:
                kind, payload = results_in.recv()
            except EOFError:
                raise TrainingError(f"the training process ended unexpectedly (exit code {process.exitcode})") \
                    from None
            if kind == "progress":
                progress(payload)
            elif kind == "done":
                card, directory = payload
                return TrainedModel(ModelCard.from_json(card), Path(directory))
            elif kind == "cancelled":
                raise RetrainCancelled("training cancelled")
            else:
                raise TrainingError(str(payload))
    finally:
        _stop(process)
        results_in.close()
        control_out.close()


def _stop(process: multiprocessing.process.BaseProcess) -> None:
    process.join(timeout=5)
    if process.is_alive():
        process.terminate()
        process.join(timeout=5)
    if process.is_alive():
        process.kill()
        process.join()


def train_in_thread(specs: Specs, config: TrainConfig, command: str, progress: ProgressSink,
                    cancel: threading.Event) -> TrainedModel:
    """Train on the calling thread (imports torch into this process); kept to measure what the child saves."""
    return _train(specs, config, command, progress, cancel)


def training_available() -> str | None:
    """None when the training extra is installed, else what to install (checked without importing torch)."""
    from importlib.util import find_spec

    from assistant.training import INSTALL_HINT

    missing = [m for m in ("torch", "transformers", "onnx") if find_spec(m) is None]
    if missing:
        return f"Retraining needs {', '.join(missing)}; install the training extra: {INSTALL_HINT}"
    return None

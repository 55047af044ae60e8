"""The voice session on its own thread, seen from Qt through queued signals.

Opening a session may load a speech model and starting it opens an audio device, so both run on
a ``QThread``; the session's events arrive on the pipeline's thread and are re-emitted as Qt
signals, which Qt queues onto the GUI thread. A pipeline that publishes an ``utterance`` event
(transcript, when speech ended, the audio and recognition stage timings) is answered from that;
for one that only publishes ``final``, the worker timestamps the release of the talk button and
the final transcript, so a spoken request still reports its recognition time like any stage.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from assistant.results import Stage, StageTiming, Transcript
from assistant.speech.session import VoiceSession, VoiceState
from ui.voice_session import SessionFactory, VoiceConfig, open_voice_session
from ui.worker_thread import stop_thread, thread_for


@dataclass(frozen=True)
class SpokenRequest:
    """A final transcript plus when the user let go of the talk button and when the text was ready."""

    transcript: Transcript
    released_ns: int | None
    finished_ns: int
    reported: tuple[StageTiming, ...] = ()
    """Stage timings the pipeline measured itself (audio, recognition), when it reports them."""

    @property
    def stages(self) -> tuple[StageTiming, ...]:
        """The pipeline's own stage timings if it reports them, else recognition measured from release."""
        if self.reported:
            return self.reported
        if self.released_ns is None:
            return ()
        return (StageTiming(Stage.RECOGNITION, max(0, self.finished_ns - self.released_ns)),)

    @property
    def started_ns(self) -> int | None:
        return self.released_ns


class VoiceWorker(QObject):
    """Lives on the voice thread and owns the session."""

    opened = Signal(object, str)
    state_changed = Signal(object)
    level = Signal(float)
    partial = Signal(str)
    heard = Signal(str)
    """A final transcript that is not a request (hands-free speech not meant for the assistant)."""
    final = Signal(object)
    failed = Signal(str)

    def __init__(self, factory: SessionFactory) -> None:
        super().__init__()
        self._factory = factory
        self.session: VoiceSession | None = None
        self._released_ns: int | None = None
        self._utterances = False

    @Slot(object)
    def open(self, config: VoiceConfig) -> None:
        self.close()
        session = self._factory(config)
        self.session = session
        session.events.state_changed.connect(self.state_changed.emit)
        session.events.level.connect(self.level.emit)
        session.events.partial.connect(self.partial.emit)
        utterances = getattr(session.events, "utterance", None)
        self._utterances = utterances is not None
        if utterances is not None:
            utterances.connect(self._on_utterance)
        session.events.final.connect(self._on_final)
        session.events.failed.connect(self.failed.emit)
        self.opened.emit(session.state, session.unavailable_reason or "")

    @Slot()
    def start(self) -> None:
        if self.session is not None and self.session.state is not VoiceState.UNAVAILABLE:
            self._released_ns = None
            self.session.start()

    @Slot()
    def stop(self) -> None:
        if self.session is not None and self.session.state is not VoiceState.UNAVAILABLE:
            self._released_ns = time.perf_counter_ns()
            self.session.stop()

    @Slot()
    def close(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None

    def _on_final(self, transcript: Transcript) -> None:
        if self._utterances:  # the request comes with the utterance event, if it is one
            self.heard.emit(transcript.text)
            return
        self.final.emit(SpokenRequest(transcript, self._released_ns, time.perf_counter_ns()))

    def _on_utterance(self, utterance: Any) -> None:
        """The pipeline's own record: transcript, end of speech and stage timings (duck-typed)."""
        self.final.emit(SpokenRequest(utterance.transcript, getattr(utterance, "speech_end_ns", None),
                                      time.perf_counter_ns(), tuple(getattr(utterance, "stages", ()))))


class VoiceBridge(QObject):
    """Owned by the GUI thread: :meth:`press` / :meth:`release` the talk button, listen to the signals."""

    state_changed = Signal(object, str)
    """The new :class:`VoiceState` and, when unavailable, why."""
    level = Signal(float)
    partial = Signal(str)
    heard = Signal(str)
    """Speech that was recognised but is not a request (shown, not answered)."""
    final = Signal(object)
    """A :class:`SpokenRequest`."""
    failed = Signal(str)
    _open = Signal(object)
    _start = Signal()
    _stop = Signal()
    _close = Signal()

    def __init__(self, factory: SessionFactory = open_voice_session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = VoiceState.UNAVAILABLE
        self.reason = "Starting voice input…"
        self._worker = VoiceWorker(factory)
        self._thread = thread_for(self._worker, "voice")
        self._open.connect(self._worker.open)
        self._start.connect(self._worker.start)
        self._stop.connect(self._worker.stop)
        self._close.connect(self._worker.close, Qt.ConnectionType.BlockingQueuedConnection)
        self._worker.opened.connect(self._set_state)
        self._worker.state_changed.connect(self._on_state)
        self._worker.level.connect(self.level)
        self._worker.partial.connect(self.partial)
        self._worker.heard.connect(self.heard)
        self._worker.final.connect(self.final)
        self._worker.failed.connect(self.failed)
        self._thread.start()

    @Slot(object)
    def _on_state(self, state: VoiceState) -> None:
        self._set_state(state, self.reason if state is VoiceState.UNAVAILABLE else "")

    @Slot(object, str)
    def _set_state(self, state: VoiceState, reason: str) -> None:
        self.state = state
        self.reason = reason if state is VoiceState.UNAVAILABLE else ""
        self.state_changed.emit(state, self.reason)

    @property
    def available(self) -> bool:
        return self.state is not VoiceState.UNAVAILABLE

    def open(self, config: VoiceConfig | None = None) -> None:
        self._open.emit(config or VoiceConfig())

    def press(self) -> None:
        if self.available:
            self._start.emit()

    def release(self) -> None:
        if self.available:
            self._stop.emit()

    def shutdown(self) -> None:
        stop_thread(self._thread, self._close, 3000)

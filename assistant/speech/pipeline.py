"""The listening pipeline: the :class:`VoiceSession` a front end drives.

One worker thread reads audio blocks from the source (the microphone's queue), cuts them into
30 ms frames, finds utterances (endpointing in hands-free mode, the button in push-to-talk), feeds
the recogniser as the user speaks, publishes the level and partial transcripts, and emits the
final transcript with its timings. The capture callback never waits on any of this.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import SpeechError
from assistant.results import Stage, StageTiming, Transcript
from assistant.speech.audio import SAMPLE_RATE, AudioSource, level
from assistant.speech.endpointing import EndpointConfig, Endpointer, Event, Framer
from assistant.speech.engines import DEFAULT_ENGINE, Decision, Recognizer
from assistant.speech.session import VoiceEvents, VoiceState
from assistant.speech.wake import WakeGate

log = logging.getLogger(__name__)

LEVEL_INTERVAL_NS = 50_000_000
READ_TIMEOUT_S = 0.1


class Mode(enum.StrEnum):
    HANDS_FREE = "hands-free"
    """Listen continuously; the endpointer finds where each request starts and ends."""
    PUSH_TO_TALK = "push-to-talk"
    """An utterance is everything between :meth:`start` and :meth:`stop`."""


@dataclass(frozen=True)
class ListenSettings:
    engine: str = DEFAULT_ENGINE
    mode: Mode = Mode.HANDS_FREE
    device: str | int | None = None
    wake_phrase: str | None = None
    """In hands-free mode, only requests that begin with this phrase (or follow it) are answered."""
    endpoint: EndpointConfig = field(default_factory=EndpointConfig)
    partial_interval_ms: int = 200
    use_grammar: bool = True
    open_fallback: bool | None = None
    model: Path | None = None


@dataclass(frozen=True)
class Utterance:
    """One request heard, with when speech ended and what the voice stages cost."""

    transcript: Transcript
    decision: Decision
    speech_end_ns: int
    """``perf_counter_ns`` when the last voiced audio arrived (push-to-talk: when it was released)."""
    stages: tuple[StageTiming, ...]
    """``audio``: waiting for the endpoint after speech ended; ``recognition``: the final decode."""
    overflows: int = 0
    dropped: int = 0

    def timings_ms(self) -> dict[str, float]:
        return {t.stage.value: round(t.ms, 3) for t in self.stages}


class ListeningSession:
    """A :class:`assistant.speech.session.VoiceSession` over an audio source and a recogniser."""

    def __init__(self, source: Callable[[], AudioSource], recognizer: Callable[[], Recognizer],
                 settings: ListenSettings | None = None, endpointer: Endpointer | None = None) -> None:
        self.events = VoiceEvents()
        self.settings = settings or ListenSettings()
        self._state = VoiceState.IDLE
        self._reason: str | None = None
        self._source: AudioSource | None = None
        self._recognizer: Recognizer | None = None
        self._make_recognizer = recognizer
        self._new_recognizer: Callable[[], Recognizer] | None = None
        try:
            self._recognizer = recognizer()
            self._source = source()
        except SpeechError as exc:
            self._state, self._reason = VoiceState.UNAVAILABLE, str(exc)
        self._endpointer = endpointer or Endpointer(self.settings.endpoint)
        self._gate = WakeGate(self.settings.wake_phrase)
        self._lock = threading.Condition()
        self._listening = False
        self._finish_requested = False
        self._closing = False
        self._thread: threading.Thread | None = None
        self._framer = Framer()

    @property
    def state(self) -> VoiceState:
        return self._state

    @property
    def unavailable_reason(self) -> str | None:
        return self._reason

    @property
    def notes(self) -> tuple[str, ...]:
        return self._recognizer.notes if self._recognizer is not None else ()

    def _set_state(self, state: VoiceState) -> None:
        if state != self._state:
            self._state = state
            self.events.state_changed.emit(state)

    def replace_recognizer(self, recognizer: Callable[[], Recognizer]) -> None:
        """Use a new recogniser (e.g. for a rebuilt grammar) from the next utterance on."""
        with self._lock:
            self._new_recognizer = recognizer

    def start(self) -> None:
        if self._state is VoiceState.UNAVAILABLE:
            return
        with self._lock:
            self._listening = True
            self._finish_requested = False
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="voice", daemon=True)
                self._thread.start()
            self._lock.notify_all()

    def stop(self) -> None:
        with self._lock:
            self._finish_requested = True
            self._lock.notify_all()

    def close(self) -> None:
        with self._lock:
            self._closing = True
            self._lock.notify_all()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        if self._source is not None:
            self._source.stop()
        if self._recognizer is not None:
            self._recognizer.close()

    # -- the worker thread -----------------------------------------------------------------------

    def _run(self) -> None:
        assert self._source is not None
        try:
            self._loop(self._source)
        except SpeechError as exc:
            self._fail(str(exc))
        except Exception as exc:  # keep the front end informed instead of dying silently
            log.exception("the voice pipeline failed")
            self._fail(f"the voice pipeline failed: {exc}")
        finally:
            self._source.stop()

    def _fail(self, message: str) -> None:
        self._listening = False
        self._set_state(VoiceState.IDLE)
        self.events.failed.emit(message)

    def _loop(self, source: AudioSource) -> None:
        framer = self._framer = Framer()
        utterance = _Open(self.settings.partial_interval_ms)
        last_level = 0
        while True:
            with self._lock:
                if not self._listening and not self._closing:
                    source.stop()  # the microphone is closed whenever nobody is listening
                while not self._listening and not self._closing:
                    self._set_state(VoiceState.IDLE)
                    self._lock.wait()
                if self._closing:
                    return
                finish = self._finish_requested
            if self._state is VoiceState.IDLE:
                source.drain()  # nothing heard before listening started counts
                source.start()
                self._set_state(VoiceState.LISTENING)
                if self.settings.mode is Mode.PUSH_TO_TALK:
                    self._begin(utterance, [], time.perf_counter_ns())
            if finish:
                self._end_listening(utterance, time.perf_counter_ns())
                continue
            chunk = source.read(READ_TIMEOUT_S)
            if chunk is None:
                if getattr(source, "finished", False):  # a clip ran out: like releasing the button
                    self._end_listening(utterance, utterance.last_voice_ns or time.perf_counter_ns())
                continue
            if chunk.received_ns - last_level >= LEVEL_INTERVAL_NS:
                last_level = chunk.received_ns
                self.events.level.emit(level(chunk.pcm))
            for frame in framer.frames(chunk.pcm):
                self._frame(utterance, frame, chunk.received_ns)

    def _frame(self, utterance: _Open, frame: bytes, received_ns: int) -> None:
        if self.settings.mode is Mode.PUSH_TO_TALK:
            utterance.feed(self._recognizer_now(), frame, self.events)
            return
        event = self._endpointer.feed(frame)
        if self._endpointer.frames_since_voice == 0:
            utterance.last_voice_ns = received_ns
        if event is Event.STARTED:
            self._begin(utterance, list(self._endpointer.preroll), received_ns)
        elif event is Event.SPEECH:
            utterance.feed(self._recognizer_now(), frame, self.events)
        elif event is Event.ENDED:
            utterance.feed(self._recognizer_now(), frame, self.events)
            self._complete(utterance, utterance.last_voice_ns or received_ns, time.perf_counter_ns())

    def _recognizer_now(self) -> Recognizer:
        assert self._recognizer is not None
        return self._recognizer

    def _begin(self, utterance: _Open, preroll: list[bytes], now_ns: int) -> None:
        with self._lock:
            if self._new_recognizer is not None:
                maker, self._new_recognizer = self._new_recognizer, None
                old, self._recognizer = self._recognizer, maker()
                if old is not None:
                    old.close()
        recognizer = self._recognizer_now()
        recognizer.begin()
        utterance.open(now_ns)
        for frame in preroll:
            utterance.feed(recognizer, frame, self.events)

    def _end_listening(self, utterance: _Open, speech_end_ns: int) -> None:
        """Stop pressed (or the clip ended): finish what was being said, then stop listening."""
        rest = self._framer.rest()
        if utterance.active and rest:
            self._recognizer_now().accept(rest)
        if utterance.active:
            self._complete(utterance, speech_end_ns, time.perf_counter_ns())
        self._endpointer.reset()
        with self._lock:
            self._listening = False
            self._finish_requested = False

    def _complete(self, utterance: _Open, speech_end_ns: int, endpoint_ns: int) -> None:
        self._set_state(VoiceState.RECOGNISING)
        transcript, decision = self._recognizer_now().finish()
        done_ns = time.perf_counter_ns()
        utterance.active = False
        source = self._source
        stages = (StageTiming(Stage.AUDIO, max(0, endpoint_ns - speech_end_ns)),
                  StageTiming(Stage.RECOGNITION, done_ns - endpoint_ns))
        self._set_state(VoiceState.LISTENING if self._listening else VoiceState.IDLE)
        text = self._gate.filter(transcript.text, time.monotonic()) if self.settings.mode is Mode.HANDS_FREE \
            else transcript.text
        if text is None:
            return  # not addressed to the assistant
        heard = Transcript(text=text, engine=transcript.engine, confidence=transcript.confidence,
                           audio_s=transcript.audio_s)
        result = Utterance(heard, decision, speech_end_ns, stages, source.overflows if source else 0,
                           source.dropped if source else 0)
        self.events.final.emit(heard)
        self.events.utterance.emit(result)


class _Open:
    """The utterance being heard: partial-result cadence and when voice was last heard."""

    def __init__(self, partial_interval_ms: int) -> None:
        self.active = False
        self.last_voice_ns = 0
        self._interval = int(partial_interval_ms * SAMPLE_RATE / 1000) * 2
        self._since_partial = 0

    def open(self, now_ns: int) -> None:
        self.active = True
        self.last_voice_ns = now_ns
        self._since_partial = 0

    def feed(self, recognizer: Recognizer, frame: bytes, events: VoiceEvents) -> None:
        if not self.active:
            return
        recognizer.accept(frame)
        self._since_partial += len(frame)
        if self._since_partial >= self._interval:
            self._since_partial = 0
            events.partial.emit(recognizer.partial())


def open_session(engine: str | None = None, model_dir: Path | None = None, mode: Mode = Mode.PUSH_TO_TALK,
                 device: str | int | None = None, wake_phrase: str | None = None) -> ListeningSession:
    """The session a front end uses: microphone, installed plugins' grammar, chosen engine.

    Slow (it loads a speech model): call it off the GUI thread. Problems (no PortAudio, no
    microphone, no model) give a session in state UNAVAILABLE whose reason says what to do.
    """
    from assistant.paths import user_plugins_dir
    from assistant.plugins.registry import PluginRegistry
    from assistant.speech.factory import open_session as build

    settings = ListenSettings(engine=engine or DEFAULT_ENGINE, mode=mode, device=device, wake_phrase=wake_phrase,
                              model=model_dir)
    specs = PluginRegistry.discover(user_plugins_dir()).specs()
    return build(settings, specs)

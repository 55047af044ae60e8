"""Helpers for the window tests: a scriptable voice session, and opening the real window on a real core.

Every window gets a settings file in the test's temporary folder and no tray, so tests never
touch the user's settings or desktop.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from psygnal import Signal

from assistant.engine import Options
from assistant.results import Stage, StageTiming, Transcript
from assistant.speech.session import VoiceEvents, VoiceState
from ui.bridge import CoreBridge
from ui.main_window import MainWindow
from ui.retrain import RetrainController
from ui.settings import SettingsStore
from ui.train_process import Runner
from ui.voice import VoiceBridge
from ui.voice_session import UnavailableSession, VoiceConfig


@dataclass(frozen=True)
class FakeUtterance:
    """What a pipeline reports with its ``utterance`` event: the transcript, end of speech, stage timings."""

    transcript: Transcript
    speech_end_ns: int
    stages: tuple[StageTiming, ...]


class FinalOnlyEvents:
    """The contract's events without ``utterance`` (a pipeline that only publishes ``final``)."""

    state_changed = Signal(object)
    level = Signal(float)
    partial = Signal(str)
    final = Signal(object)
    failed = Signal(str)


class FakeVoiceSession:
    """A :class:`~assistant.speech.session.VoiceSession` the test drives: levels, partials, a final text."""

    def __init__(self, final_text: str = "what time is it in tokyo", final_only: bool = False) -> None:
        self.events: Any = FinalOnlyEvents() if final_only else VoiceEvents()
        self.final_text = final_text
        self._state = VoiceState.IDLE
        self.calls: list[str] = []
        self.closed = False

    @property
    def state(self) -> VoiceState:
        return self._state

    @property
    def unavailable_reason(self) -> str | None:
        return None

    def _set(self, state: VoiceState) -> None:
        self._state = state
        self.events.state_changed.emit(state)

    def start(self) -> None:
        self.calls.append("start")
        self._set(VoiceState.LISTENING)
        for level in (0.2, 0.6, 0.4):
            self.events.level.emit(level)
        words = self.final_text.split()
        self.events.partial.emit(" ".join(words[: max(1, len(words) // 2)]))

    def stop(self) -> None:
        self.calls.append("stop")
        released = time.perf_counter_ns()
        self._set(VoiceState.RECOGNISING)
        transcript = Transcript(self.final_text, engine="fake", confidence=0.9, audio_s=1.2)
        self.events.final.emit(transcript)
        if hasattr(self.events, "utterance"):
            stages = (StageTiming(Stage.RECOGNITION, time.perf_counter_ns() - released),)
            self.events.utterance.emit(FakeUtterance(transcript, released, stages))
        self._set(VoiceState.IDLE)

    def close(self) -> None:
        self.closed = True


def fake_voice(session: FakeVoiceSession | None = None) -> VoiceBridge:
    chosen = session or FakeVoiceSession()
    return VoiceBridge(lambda _config: chosen)


def no_voice(reason: str = "No microphone was found.") -> VoiceBridge:
    return VoiceBridge(lambda _config: UnavailableSession(reason))


def open_window(qtbot, home: Path, *, voice: VoiceBridge | None = None, runner: Runner | None = None,
                user_plugins: bool = False, settings_file: Path | None = None) -> MainWindow:
    """The real window on a real core (shipped model, built-in plugins), ready for input."""
    bridge = CoreBridge(Options(data_dir=home, user_plugins=user_plugins))
    retrain = RetrainController(runner) if runner is not None else RetrainController()
    store = SettingsStore.at(settings_file or home / "settings.ini")
    window = MainWindow(bridge, voice=voice or no_voice(), retrain=retrain, store=store, use_tray=False)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(bridge.ready, timeout=30_000):
        window.start()
    return window


def ask(qtbot, window: MainWindow, text: str):
    """Type ``text`` into the request line, press Enter, and return the answered turn."""
    from PySide6.QtCore import Qt

    line = window.chat.input_bar.line
    line.setFocus()
    qtbot.keyClicks(line, text)
    with qtbot.waitSignal(window.bridge.turn_finished, timeout=10_000) as blocker:
        qtbot.keyClick(line, Qt.Key.Key_Return)
    return blocker.args[0]


__all__ = ["FakeUtterance", "FakeVoiceSession", "FinalOnlyEvents", "VoiceConfig", "ask", "fake_voice", "no_voice",
           "open_window"]

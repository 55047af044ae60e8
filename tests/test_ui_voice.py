"""Voice controls against the VoiceSession contract: a fake session drives the meter, partials and a request."""

from __future__ import annotations

import sys
import threading
import time

import pytest

pytest.importorskip("PySide6", reason="the window needs PySide6")

from psygnal import Signal
from PySide6.QtCore import Qt

from assistant.results import Stage, StageTiming, Transcript
from assistant.speech.session import VoiceState
from tests.ui_support import FakeUtterance, FakeVoiceSession, FinalOnlyEvents, fake_voice, no_voice, open_window
from ui.voice import SpokenRequest
from ui.voice_controls import VoiceControls
from ui.voice_session import VoiceConfig, open_voice_session


@pytest.fixture
def session():
    return FakeVoiceSession("set a timer for five minutes", final_only=True)


@pytest.fixture
def controls(qtbot, session):
    voice = fake_voice(session)
    widget = VoiceControls(voice, "F9")
    qtbot.addWidget(widget)
    with qtbot.waitSignal(voice.state_changed, timeout=5000):
        voice.open()
    yield widget
    voice.shutdown()


def test_without_a_speech_pipeline_the_button_says_why(qtbot):
    voice = no_voice("No microphone was found; plug one in.")
    widget = VoiceControls(voice)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(voice.state_changed, timeout=5000):
        voice.open()
    assert not widget.button.isEnabled()
    assert "No microphone" in widget.status.text()
    assert "No microphone" in widget.button.toolTip()
    voice.shutdown()


def test_the_factory_reports_unavailable_when_the_pipeline_module_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "assistant.speech.pipeline", None)  # import fails: not installed
    session = open_voice_session(VoiceConfig())
    assert session.state is VoiceState.UNAVAILABLE
    assert session.unavailable_reason


def test_the_factory_passes_only_the_settings_the_pipeline_accepts(monkeypatch):
    import types

    seen = {}
    module = types.ModuleType("assistant.speech.pipeline")

    def open_session(model_dir=None):
        seen["model_dir"] = model_dir
        return FakeVoiceSession()

    module.open_session = open_session
    monkeypatch.setitem(sys.modules, "assistant.speech.pipeline", module)
    session = open_voice_session(VoiceConfig(engine="vosk", model_dir=None))
    assert isinstance(session, FakeVoiceSession) and seen == {"model_dir": None}


def test_holding_the_button_shows_level_and_partial_and_release_sends_the_transcript(qtbot, controls, session):
    spoken = []
    controls.spoken.connect(spoken.append)
    assert controls.button.isEnabled()
    with qtbot.waitSignal(controls.voice.partial, timeout=5000):
        qtbot.mousePress(controls.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controls.meter.level >= 0.6, timeout=5000)
    assert controls.status.text() == "“set a timer…”"
    with qtbot.waitSignal(controls.spoken, timeout=5000):
        qtbot.mouseRelease(controls.button, Qt.MouseButton.LeftButton)
    assert session.calls == ["start", "stop"]
    request: SpokenRequest = spoken[0]
    assert request.transcript.text == "set a timer for five minutes"
    assert [t.stage for t in request.stages] == [Stage.RECOGNITION]
    assert request.started_ns is not None


def test_events_from_the_pipeline_thread_arrive_on_the_gui_thread(qtbot, controls, session):
    levels = []
    controls.voice.level.connect(lambda level: levels.append(threading.current_thread() is threading.main_thread()))
    worker = threading.Thread(target=session.events.level.emit, args=(0.3,))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: levels == [True], timeout=5000)


def test_an_empty_final_transcript_sends_nothing(qtbot, controls):
    spoken = []
    controls.spoken.connect(spoken.append)
    controls.on_final(SpokenRequest(Transcript("", engine="fake"), None, 0))
    assert spoken == [] and "didn't hear" in controls.status.text()


def test_a_spoken_request_is_answered_with_its_transcript_and_recognition_time(qtbot, home):
    session = FakeVoiceSession("what time is it in tokyo")
    window = open_window(qtbot, home, voice=fake_voice(session))
    qtbot.waitUntil(window.chat.voice_controls.button.isEnabled, timeout=5000)
    window.chat.input_bar.line.setFocus()
    with qtbot.waitSignal(window.bridge.turn_finished, timeout=10_000) as blocker:
        qtbot.keyPress(window.chat.input_bar.line, Qt.Key.Key_F9)  # the hold-to-talk key
        qtbot.keyRelease(window.chat.input_bar.line, Qt.Key.Key_F9)
    turn = blocker.args[0]
    assert turn.transcript.text == "what time is it in tokyo" and turn.transcript.engine == "fake"
    assert "recognition" in turn.timings_ms()
    user = window.chat.messages.messages()[0]
    assert user.spoken and "heard by fake" in user.tooltip
    assert window.chat.stats.bars.values["recognition"] == pytest.approx(turn.timings_ms()["recognition"])
    assert window.chat.stats.heading.text().endswith("(spoken)")


class UtteranceEvents(FinalOnlyEvents):
    utterance = Signal(object)


class ReportingSession(FakeVoiceSession):
    """A pipeline that reports its own timings with an ``utterance`` event after ``final``."""

    def __init__(self, final_text: str, meant_for_assistant: bool = True) -> None:
        super().__init__(final_text)
        self.events = UtteranceEvents()
        self.meant_for_assistant = meant_for_assistant

    def stop(self) -> None:
        self.calls.append("stop")
        transcript = Transcript(self.final_text, engine="fake")
        self.events.final.emit(transcript)
        if self.meant_for_assistant:
            stages = (StageTiming(Stage.AUDIO, 3_000_000), StageTiming(Stage.RECOGNITION, 40_000_000))
            self.events.utterance.emit(FakeUtterance(transcript, time.perf_counter_ns() - 50_000_000, stages))


def test_a_pipeline_that_reports_utterances_is_answered_with_its_own_timings(qtbot):
    session = ReportingSession("what time is it")
    voice = fake_voice(session)
    widget = VoiceControls(voice)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(voice.state_changed, timeout=5000):
        voice.open()
    with qtbot.waitSignal(widget.spoken, timeout=5000) as spoken:
        widget.press()
        widget.release()
    request = spoken.args[0]
    assert [(t.stage, t.ms) for t in request.stages] == [(Stage.AUDIO, 3.0), (Stage.RECOGNITION, 40.0)]
    assert request.started_ns < request.finished_ns
    voice.shutdown()


def test_speech_not_meant_for_the_assistant_is_shown_but_not_answered(qtbot):
    session = ReportingSession("nice weather today", meant_for_assistant=False)
    voice = fake_voice(session)
    widget = VoiceControls(voice)
    qtbot.addWidget(widget)
    spoken = []
    widget.spoken.connect(spoken.append)
    with qtbot.waitSignal(voice.state_changed, timeout=5000):
        voice.open()
    with qtbot.waitSignal(voice.heard, timeout=5000):
        widget.press()
        widget.release()
    assert spoken == [] and "not a request" in widget.status.text()
    voice.shutdown()

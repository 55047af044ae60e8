"""Push-to-talk: the microphone button, the level meter and the live partial transcript.

The button works like a walkie-talkie (press to listen, release to finish); with keyboard focus,
holding Space does the same, and the window forwards its configurable hold-to-talk key here.
When voice is unavailable the button is disabled and the reason is written next to it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

from assistant.speech.session import VoiceState
from ui.icons import icon
from ui.level_meter import LevelMeter
from ui.voice import SpokenRequest, VoiceBridge


class VoiceControls(QWidget):
    spoken = Signal(object)
    """A :class:`SpokenRequest` with non-empty text, ready to be answered."""

    def __init__(self, voice: VoiceBridge, hold_key: str = "F9", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.voice = voice
        self.hold_key = hold_key
        self.button = QToolButton()
        self.button.setIcon(icon("mic-off"))
        self.button.setAccessibleName("Push to talk")
        self.button.setAutoRaise(False)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.meter = LevelMeter()
        self.status = QLabel()
        self.status.setAccessibleName("Voice status")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.status.setWordWrap(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        layout.addWidget(self.meter, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.status, 1)
        self.button.pressed.connect(self.press)
        self.button.released.connect(self.release)
        voice.state_changed.connect(self.show_state)
        voice.level.connect(self.meter.set_level)
        voice.partial.connect(self.show_partial)
        voice.heard.connect(self.show_heard)
        voice.final.connect(self.on_final)
        voice.failed.connect(self.on_failed)
        self.show_state(voice.state, voice.reason)

    def set_hold_key(self, key: str) -> None:
        self.hold_key = key
        self.show_state(self.voice.state, self.voice.reason)

    def press(self) -> None:
        self.voice.press()

    def release(self) -> None:
        self.voice.release()

    def _hint(self) -> str:
        return f"Hold the microphone button or {self.hold_key} and speak"

    def show_state(self, state: VoiceState, reason: str) -> None:
        available = state is not VoiceState.UNAVAILABLE
        self.button.setEnabled(available)
        self.meter.setEnabled(available)
        self.button.setIcon(icon("mic" if available else "mic-off"))
        self.button.setToolTip(self._hint() if available else reason)
        self.button.setAccessibleDescription(self._hint() if available else f"Unavailable: {reason}")
        if state is VoiceState.LISTENING:
            self.status.setText("Listening…")
        elif state is VoiceState.RECOGNISING:
            self.status.setText("Recognising…")
        elif available:
            self.meter.reset()
            self.status.setText(self._hint())
        else:
            self.meter.reset()
            self.status.setText(reason or "Voice input is unavailable.")
        self.status.setToolTip(self.status.text())

    def show_partial(self, text: str) -> None:
        if text:
            self.status.setText(f"“{text}…”")

    def show_heard(self, text: str) -> None:
        self.meter.reset()
        if text.strip():
            self.status.setText(f"Heard “{text.strip()}” (not a request)")

    def on_final(self, spoken: SpokenRequest) -> None:
        self.meter.reset()
        text = spoken.transcript.text.strip()
        if not text:
            self.status.setText("I didn't hear any words. " + self._hint())
            return
        self.status.setText(f"Heard “{text}”")
        self.spoken.emit(spoken)

    def on_failed(self, message: str) -> None:
        self.meter.reset()
        self.status.setText(f"Voice input failed — {message}")
        self.status.setToolTip(message)

"""The contract between a front end and the voice pipeline.

A front end (the terminal, the Qt window) drives a :class:`VoiceSession` and listens to its
:class:`VoiceEvents`; it never touches audio devices or recognisers itself. Events are emitted on
the pipeline's own thread: a Qt front end re-emits them through queued signals.
"""

from __future__ import annotations

import enum
from typing import Protocol

from psygnal import Signal


class VoiceState(enum.StrEnum):
    UNAVAILABLE = "unavailable"
    """No microphone, no PortAudio or no speech model: ``unavailable_reason`` says which and what to do."""
    IDLE = "idle"
    LISTENING = "listening"
    RECOGNISING = "recognising"


class VoiceEvents:
    state_changed = Signal(object)
    """A new :class:`VoiceState`."""
    level = Signal(float)
    """Input level, 0..1, about 20 times a second while listening."""
    partial = Signal(str)
    """The live partial transcript while the user speaks."""
    final = Signal(object)
    """The final :class:`assistant.results.Transcript` of one utterance (its text may be empty)."""
    failed = Signal(str)
    """Capture or recognition broke; the message says what to do."""
    utterance = Signal(object)
    """Right after ``final``: the :class:`assistant.speech.pipeline.Utterance` with the timings to pass
    to :meth:`assistant.engine.Assistant.handle` (only for utterances meant for the assistant)."""


class VoiceSession(Protocol):
    events: VoiceEvents

    @property
    def state(self) -> VoiceState: ...

    @property
    def unavailable_reason(self) -> str | None: ...

    def start(self) -> None:
        """Start listening (push-to-talk pressed, or hands-free switched on)."""

    def stop(self) -> None:
        """Stop listening and finish the utterance heard so far (push-to-talk released)."""

    def close(self) -> None: ...

"""Endpointing: where an utterance starts and ends, so nobody has to press a button.

Each 30 ms frame is classified by the WebRTC voice activity detector that pocketsphinx bundles
(a runtime dependency anyway). Speech starts when most frames of a short window are voiced and
ends after a stretch that is almost all unvoiced; windows with a ratio (not single frames) keep a
cough or a short pause from flipping the state. Audio from just before the start (pre-roll) is
kept, so the first syllable reaches the recogniser.
"""

from __future__ import annotations

import enum
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from assistant.speech.audio import FRAME_BYTES


@dataclass(frozen=True)
class EndpointConfig:
    start_ms: int = 150
    """Window in which speech must dominate before an utterance starts."""
    end_silence_ms: int = 360
    """Window that must be (almost) all silence before the utterance ends."""
    ratio: float = 0.8
    """Share of voiced (start) or unvoiced (end) frames a window needs."""
    preroll_ms: int = 300
    """Audio kept from before the start."""
    max_speech_s: float = 15.0
    """An utterance is cut here even if the room never goes quiet."""
    vad_mode: int = 2
    """WebRTC VAD aggressiveness, 0 (loose) … 3 (strict)."""


class Event(enum.Enum):
    SILENCE = "silence"
    STARTED = "started"
    """Speech began: :attr:`Endpointer.preroll` holds the frames before it (this frame included)."""
    SPEECH = "speech"
    ENDED = "ended"
    """Enough silence after speech (or the length limit): the utterance is over."""


class Endpointer:
    """Feed 30 ms frames (:data:`FRAME_BYTES` bytes); get an :class:`Event` per frame."""

    def __init__(self, config: EndpointConfig | None = None,
                 classify: Callable[[bytes], bool] | None = None) -> None:
        self.config = config or EndpointConfig()
        if classify is None:
            from pocketsphinx import Vad

            vad = Vad(self.config.vad_mode)
            classify = vad.is_speech
        self._classify = classify
        frame_ms = 30
        self._start_frames = max(1, self.config.start_ms // frame_ms)
        self._end_frames = max(1, self.config.end_silence_ms // frame_ms)
        self._max_frames = int(self.config.max_speech_s * 1000 / frame_ms)
        self._window: deque[bool] = deque(maxlen=max(self._start_frames, self._end_frames))
        self.preroll: deque[bytes] = deque(maxlen=max(1, self.config.preroll_ms // frame_ms) + self._start_frames)
        self.in_speech = False
        self._speech_frames = 0
        self.frames_since_voice = 0
        """Frames since the last voiced frame: how long ago speech (probably) ended."""

    def reset(self) -> None:
        self._window.clear()
        self.preroll.clear()
        self.in_speech = False
        self._speech_frames = 0
        self.frames_since_voice = 0

    def _share(self, frames: int, voiced: bool) -> float:
        recent = list(self._window)[-frames:]
        if len(recent) < frames:
            return 0.0
        return sum(1 for v in recent if v == voiced) / frames

    def feed(self, frame: bytes) -> Event:
        if len(frame) != FRAME_BYTES:
            raise ValueError(f"frames must be {FRAME_BYTES} bytes, not {len(frame)}")
        voiced = bool(self._classify(frame))
        self._window.append(voiced)
        self.frames_since_voice = 0 if voiced else self.frames_since_voice + 1
        if not self.in_speech:
            self.preroll.append(frame)
            if self._share(self._start_frames, True) >= self.config.ratio:
                self.in_speech = True
                self._speech_frames = 0
                return Event.STARTED
            return Event.SILENCE
        self._speech_frames += 1
        if self._share(self._end_frames, False) >= self.config.ratio or self._speech_frames >= self._max_frames:
            self.in_speech = False
            self._window.clear()
            self.preroll.clear()
            return Event.ENDED
        return Event.SPEECH


def utterances(pcm: bytes, endpointer: Endpointer | None = None) -> Iterator[bytes]:
    """What hands-free listening hands to the recogniser, utterance by utterance, for a recording:
    each from its pre-roll up to the frame that ends it (the last one possibly cut by the end)."""
    endpointer = endpointer or Endpointer()
    kept: list[bytes] | None = None
    for offset in range(0, len(pcm) - FRAME_BYTES + 1, FRAME_BYTES):
        frame = pcm[offset : offset + FRAME_BYTES]
        event = endpointer.feed(frame)
        if event is Event.STARTED:
            kept = list(endpointer.preroll)
        elif kept is not None and event in (Event.SPEECH, Event.ENDED):
            kept.append(frame)
            if event is Event.ENDED:
                yield b"".join(kept)
                kept = None
    if kept:
        yield b"".join(kept)


class Framer:
    """Cuts blocks of any size into exact 30 ms frames, carrying the remainder over."""

    def __init__(self) -> None:
        self._buffer = b""

    def frames(self, pcm: bytes) -> list[bytes]:
        data = self._buffer + pcm
        count = len(data) // FRAME_BYTES
        self._buffer = data[count * FRAME_BYTES :]
        return [data[i * FRAME_BYTES : (i + 1) * FRAME_BYTES] for i in range(count)]

    def rest(self) -> bytes:
        rest, self._buffer = self._buffer, b""
        return rest

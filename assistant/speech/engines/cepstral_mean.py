"""The cepstral mean an utterance starts from, estimated from its own first seconds of speech.

PocketSphinx normalises features by a running cepstral mean that, in live mode, moves only every
eight seconds, so for a spoken command the initial value is what counts. A fixed value fits one
microphone level and no noise; the benchmark's noisy mixes and synthetic voices sit far from it.
So the recogniser holds back decoding until it has ``window_s`` of audio after the first voiced
frames, measures their mean (a features-only pass, no search) and starts from that. Decoding then
catches up at many times real time; an utterance shorter than the window is measured whole at
its end.
"""

from __future__ import annotations

from typing import Any

from assistant.speech.audio import FRAME_BYTES, SAMPLE_BYTES, SAMPLE_RATE

ONSET_FRAMES = 5
"""Voiced 30 ms frames in a row that mark the start of speech."""
LEAD_S = 0.1
"""Audio kept before the onset."""


class CepstralMeanEstimator:
    def __init__(self, window_s: float, vad_mode: int = 2) -> None:
        from pocketsphinx import Decoder, Vad

        self.window_bytes = int(window_s * SAMPLE_RATE) * SAMPLE_BYTES
        self._vad = Vad(vad_mode)
        self._probe: Any = Decoder(lm=None, cmn="batch", loglevel="FATAL")
        # Utterances need a search to exist, though the probe never searches: a one-word grammar.
        self._probe.add_fsg("probe", self._probe.create_fsg("probe", 0, 1, [(0, 1, 1.0, "a")]))
        self._probe.activate_search("probe")
        self.reset()

    def reset(self) -> None:
        self.buffer = bytearray()
        self._checked = 0
        self._run = 0
        self.onset: int | None = None

    def add(self, pcm: bytes) -> bool:
        """Buffer audio; True once the window after the onset is full."""
        self.buffer += pcm
        while self.onset is None and self._checked + FRAME_BYTES <= len(self.buffer):
            frame = bytes(self.buffer[self._checked : self._checked + FRAME_BYTES])
            self._run = self._run + 1 if self._vad.is_speech(frame) else 0
            self._checked += FRAME_BYTES
            if self._run >= ONSET_FRAMES:
                lead = int(LEAD_S * SAMPLE_RATE) * SAMPLE_BYTES
                self.onset = max(0, self._checked - ONSET_FRAMES * FRAME_BYTES - lead)
        return self.onset is not None and len(self.buffer) - self.onset >= self.window_bytes

    def estimate(self) -> str:
        """The mean over the window after the onset (or all audio when there was no clear onset)."""
        start = self.onset or 0
        segment = bytes(self.buffer[start : start + self.window_bytes]) or bytes(self.buffer)
        if len(segment) < FRAME_BYTES:
            return ""
        self._probe.start_utt()
        self._probe.process_raw(segment, True, True)
        self._probe.end_utt()
        mean: str = self._probe.get_cmn()
        return mean

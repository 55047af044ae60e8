"""Recognising a whole clip through the streaming interface, timed as a live utterance would be.

The audio goes in as the microphone would deliver it (30 ms blocks). ``decode_ns`` is all the time
spent decoding (for the real-time factor); ``final_ns`` is what remains after the last block, which
is the recogniser's part of the delay between the end of speech and the reply when decoding keeps
up with real time (a real-time factor below 1).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from assistant.results import Transcript
from assistant.speech.audio import FRAME_SAMPLES, SAMPLE_RATE
from assistant.speech.engines import Decision, Recognizer


@dataclass(frozen=True)
class Recognition:
    transcript: Transcript
    decision: Decision
    decode_ns: int
    """Time spent in the recogniser for the whole clip, the end included."""
    final_ns: int
    """Time from handing over the last block to the final transcript."""
    audio_s: float

    @property
    def real_time_factor(self) -> float:
        return self.decode_ns / 1e9 / self.audio_s if self.audio_s else 0.0


def recognise(recognizer: Recognizer, samples: np.ndarray, block: int = FRAME_SAMPLES) -> Recognition:
    pcm = np.asarray(samples, dtype=np.int16).tobytes()
    step = block * 2
    started = time.perf_counter_ns()
    recognizer.begin()
    for offset in range(0, len(pcm), step):
        recognizer.accept(pcm[offset : offset + step])
    fed = time.perf_counter_ns()
    transcript, decision = recognizer.finish()
    done = time.perf_counter_ns()
    return Recognition(transcript, decision, done - started, done - fed, len(samples) / SAMPLE_RATE)

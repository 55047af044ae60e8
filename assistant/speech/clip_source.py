"""Audio from memory as an :class:`AudioSource`: files for ``assistant transcribe``, and tests."""

from __future__ import annotations

import time

import numpy as np

from assistant.speech.audio import FRAME_SAMPLES, SAMPLE_RATE, Chunk


class ClipSource:
    """Plays int16 samples in blocks, as fast as they are read or at the pace of real time.

    After the clip, ``trailing_silence`` seconds of silence follow (so an endpointer sees the end),
    then ``read`` returns None, like a microphone that stopped.
    """

    def __init__(self, samples: np.ndarray, realtime: bool = False, trailing_silence: float = 0.0,
                 block: int = FRAME_SAMPLES) -> None:
        silence = np.zeros(int(trailing_silence * SAMPLE_RATE), dtype=np.int16)
        self._pcm = np.concatenate([np.asarray(samples, dtype=np.int16), silence]).tobytes()
        self._block_bytes = block * 2
        self._position = 0
        self._realtime = realtime
        self._started_ns = 0
        self.overflows = 0
        self.dropped = 0

    @property
    def finished(self) -> bool:
        return self._position >= len(self._pcm)

    def start(self) -> None:
        self._started_ns = time.perf_counter_ns()

    def read(self, timeout: float) -> Chunk | None:
        if self.finished:
            time.sleep(min(timeout, 0.01))
            return None
        pcm = self._pcm[self._position : self._position + self._block_bytes]
        self._position += len(pcm)
        if self._realtime:
            due = self._started_ns + int(self._position / (2 * SAMPLE_RATE) * 1e9)
            delay = (due - time.perf_counter_ns()) / 1e9
            if delay > 0:
                time.sleep(delay)
        return Chunk(pcm, time.perf_counter_ns())

    def drain(self) -> None:
        """Nothing queues up in a clip."""

    def stop(self) -> None:
        self._position = len(self._pcm)

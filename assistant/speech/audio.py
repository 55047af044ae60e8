"""The audio format every part of the voice path shares, and reading audio files into it.

Recognisers want 16 kHz mono signed 16-bit samples; files come in any rate and channel count, so
they are mixed down and resampled (polyphase filter, scipy) on the way in.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Protocol

import numpy as np

from assistant.errors import SpeechError

SAMPLE_RATE = 16000
SAMPLE_BYTES = 2
FRAME_SAMPLES = 480
"""30 ms: the frame the voice activity detector classifies, and the capture block size."""
FRAME_BYTES = FRAME_SAMPLES * SAMPLE_BYTES


@dataclass(frozen=True)
class Chunk:
    """A block of captured audio and when it arrived (``perf_counter_ns``)."""

    pcm: bytes
    received_ns: int

    @property
    def seconds(self) -> float:
        return len(self.pcm) / (SAMPLE_RATE * SAMPLE_BYTES)


def to_int16(samples: np.ndarray) -> np.ndarray:
    """Float samples in -1..1 as int16, clipped."""
    return np.asarray(np.clip(np.round(samples * 32767.0), -32768, 32767), dtype=np.int16)


def resample(samples: np.ndarray, rate: int) -> np.ndarray:
    """Float samples at ``rate`` as float samples at :data:`SAMPLE_RATE`."""
    if rate == SAMPLE_RATE:
        return samples
    from scipy.signal import resample_poly

    ratio = Fraction(SAMPLE_RATE, rate).limit_denominator(1000)
    return np.asarray(resample_poly(samples, ratio.numerator, ratio.denominator), dtype=np.float64)


def read_audio(path: Path) -> np.ndarray:
    """An audio file (WAV, FLAC, OGG …, anything libsndfile reads) as 16 kHz mono int16 samples."""
    import soundfile

    try:
        samples, rate = soundfile.read(str(path), dtype="float64", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError, OSError) as exc:
        raise SpeechError(f"cannot read audio file {path}: {exc}") from exc
    mono = samples.mean(axis=1)
    return to_int16(resample(mono, int(rate)))


def level(pcm: bytes) -> float:
    """Loudness of a block for a level meter: 0 at -60 dBFS or below, 1 at full scale."""
    samples = np.frombuffer(pcm, dtype=np.int16).astype(np.float64)
    if samples.size == 0:
        return 0.0
    rms = float(np.sqrt(np.mean(samples**2))) / 32768.0
    if rms <= 1e-3:
        return 0.0
    return float(min(1.0, (20 * np.log10(rms) + 60) / 60))


class AudioSource(Protocol):
    """Where the listening pipeline gets its audio: the microphone, or a clip for files and tests."""

    overflows: int
    dropped: int

    def start(self) -> None: ...

    def read(self, timeout: float) -> Chunk | None:
        """The next block; None when nothing arrived in time."""

    def drain(self) -> None: ...

    def stop(self) -> None: ...

"""Mixing kitchen noise into clean speech exactly as the Picovoice benchmark's ``mixer.py`` does.

Its SNR is a ratio of peak frame energies (non-overlapping 2048-sample frames), not of average
power; the noise segment starts at a random offset, and the mix is scaled to half of full scale.
A fixed seed makes every run hear the same noise.
"""

from __future__ import annotations

import numpy as np

FRAME = 2048
SNRS_DB = (24, 21, 18, 15, 12, 9, 6)
"""The SNRs the benchmark reports (its mixer also makes 3 dB, which its results leave out)."""


def max_frame_energy(pcm: np.ndarray, frame: int = FRAME) -> float:
    frames = pcm[: (pcm.size // frame) * frame].reshape(-1, frame)
    return float((frames.astype(np.float64) ** 2).sum(axis=1).max())


def mix(speech: np.ndarray, noise: np.ndarray, snr_db: float, rng: np.random.Generator) -> np.ndarray:
    """``speech`` (float, -1..1) with a random stretch of ``noise`` at ``snr_db``, as int16 samples."""
    if noise.size <= speech.size:
        raise ValueError("the noise recording must be longer than the speech")
    start = int(rng.integers(0, noise.size - speech.size))
    segment = noise[start : start + speech.size]
    scale = np.sqrt(max_frame_energy(speech) / (max_frame_energy(segment) * 10 ** (snr_db / 10.0)))
    noisy = speech + scale * segment
    noisy = noisy / (2 * np.max(np.abs(noisy)))
    return np.asarray(np.round(noisy * 32767), dtype=np.int16)

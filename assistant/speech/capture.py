"""Microphone capture with sounddevice (PortAudio): 16 kHz mono 16-bit blocks into a queue.

The PortAudio callback only copies the block into a bounded queue and counts problems; it never
blocks, allocates little and never waits for the recogniser. When the consumer falls behind the
newest blocks are dropped and counted (``dropped``), and PortAudio's own input overflows are
counted too (``overflows``); both are reported with each utterance.
"""

from __future__ import annotations

import queue
import time
from dataclasses import dataclass
from typing import Any

from assistant.errors import AudioDeviceError
from assistant.speech.audio import FRAME_SAMPLES, SAMPLE_RATE, Chunk

PORTAUDIO_HINT = "install PortAudio: sudo apt-get install libportaudio2 (Debian/Ubuntu)"
QUEUE_SECONDS = 30.0


@dataclass(frozen=True)
class InputDevice:
    index: int
    name: str
    channels: int
    default_rate: float
    is_default: bool


def _sounddevice() -> Any:
    try:
        import sounddevice
    except OSError as exc:  # the package imports, but libportaudio is missing
        raise AudioDeviceError(f"PortAudio is not available ({exc}); {PORTAUDIO_HINT}") from exc
    except ImportError as exc:
        raise AudioDeviceError("the 'sounddevice' package is missing: pip install sounddevice") from exc
    return sounddevice


def input_devices() -> list[InputDevice]:
    sd = _sounddevice()
    try:
        devices = sd.query_devices()
        default_in = sd.default.device[0]
    except sd.PortAudioError as exc:
        raise AudioDeviceError(f"cannot list audio devices: {exc}") from exc
    return [InputDevice(i, d["name"], d["max_input_channels"], d["default_samplerate"], i == default_in)
            for i, d in enumerate(devices) if d["max_input_channels"] > 0]


def resolve_device(device: str | int | None) -> int | None:
    """A device index from an index, a (part of a) name, or None for the system default."""
    if device is None or device == "":
        devices = input_devices()
        if not devices:
            raise AudioDeviceError("no microphone found: connect one, or check that your user may use audio "
                                   "devices (group 'audio')")
        return None
    devices = input_devices()
    if isinstance(device, int) or str(device).isdigit():
        index = int(device)
        if any(d.index == index for d in devices):
            return index
        raise AudioDeviceError(f"no input device number {index}; input devices: {_listing(devices)}")
    matches = [d for d in devices if str(device).lower() in d.name.lower()]
    exact = [d for d in matches if d.name.lower() == str(device).lower()]
    if len(exact) == 1 or len(matches) == 1:
        return (exact or matches)[0].index
    if not matches:
        raise AudioDeviceError(f"no input device named {device!r}; input devices: {_listing(devices)}")
    raise AudioDeviceError(f"{device!r} matches several input devices: {_listing(matches)}; use its number")


def _listing(devices: list[InputDevice]) -> str:
    return ", ".join(f"{d.index}: {d.name}" for d in devices) or "(none)"


class Microphone:
    """An input stream that fills a queue with :class:`Chunk` blocks."""

    def __init__(self, device: str | int | None = None, block: int = FRAME_SAMPLES) -> None:
        self._sd = _sounddevice()
        self.device = resolve_device(device)
        self._block = block
        self._queue: queue.Queue[Chunk] = queue.Queue(maxsize=int(QUEUE_SECONDS * SAMPLE_RATE / block))
        self._stream: Any = None
        self.overflows = 0
        self.dropped = 0

    def _callback(self, data: Any, frames: int, when: Any, status: Any) -> None:
        if status.input_overflow:
            self.overflows += 1
        try:
            self._queue.put_nowait(Chunk(bytes(data), time.perf_counter_ns()))
        except queue.Full:
            self.dropped += 1

    def start(self) -> None:
        if self._stream is not None:
            return
        try:
            self._stream = self._sd.RawInputStream(samplerate=SAMPLE_RATE, channels=1, dtype="int16",
                                                   blocksize=self._block, device=self.device,
                                                   callback=self._callback)
            self._stream.start()
        except (self._sd.PortAudioError, ValueError) as exc:
            self._stream = None
            raise AudioDeviceError(f"cannot open the microphone at 16 kHz mono ({exc}); choose another device "
                                   "with --device (see `assistant listen --list-devices`)") from exc

    def read(self, timeout: float) -> Chunk | None:
        """The next block, or None when none arrived within ``timeout`` seconds."""
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None

    def drain(self) -> None:
        """Forget queued audio (e.g. what was said before push-to-talk was pressed)."""
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return

    def stop(self) -> None:
        if self._stream is not None:
            try:
                self._stream.stop()
                self._stream.close()
            finally:
                self._stream = None

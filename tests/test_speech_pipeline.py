"""Endpointing, the listening pipeline (hands-free, push-to-talk, wake phrase), and the capture queue."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from assistant.results import Stage, Transcript
from assistant.speech.audio import FRAME_BYTES, FRAME_SAMPLES, SAMPLE_RATE, Chunk
from assistant.speech.clip_source import ClipSource
from assistant.speech.endpointing import EndpointConfig, Endpointer, Event, Framer, utterances
from assistant.speech.engines import Decision
from assistant.speech.pipeline import ListeningSession, ListenSettings, Mode, Utterance
from assistant.speech.session import VoiceState
from assistant.speech.wake import WakeGate

LOUD = 8000


def loud_classifier(frame: bytes) -> bool:
    return bool(np.abs(np.frombuffer(frame, dtype=np.int16)).max() > 1000)


def clip(*parts: tuple[str, float]) -> np.ndarray:
    """('speech'|'silence', seconds) parts as samples: speech is a loud tone."""
    pieces = []
    for kind, seconds in parts:
        n = int(seconds * SAMPLE_RATE)
        tone = (LOUD * np.sin(np.arange(n) * 2 * np.pi * 220 / SAMPLE_RATE)).astype(np.int16)
        pieces.append(tone if kind == "speech" else np.zeros(n, dtype=np.int16))
    return np.concatenate(pieces)


def frames_of(samples: np.ndarray) -> list[bytes]:
    pcm = samples.tobytes()
    return [pcm[i:i + FRAME_BYTES] for i in range(0, len(pcm) - FRAME_BYTES + 1, FRAME_BYTES)]


def test_endpointer_finds_start_and_end_with_preroll():
    config = EndpointConfig(start_ms=90, end_silence_ms=300, preroll_ms=150)
    endpointer = Endpointer(config, classify=loud_classifier)
    events = [endpointer.feed(f) for f in frames_of(clip(("silence", 0.6), ("speech", 1.0), ("silence", 0.6)))]
    started = events.index(Event.STARTED)
    ended = events.index(Event.ENDED)
    assert started == 20 + 2  # 600 ms of silence, then three voiced frames (90 ms)
    assert all(e is Event.SPEECH for e in events[started + 1:ended])
    assert ended - 53 == 8  # speech ends at frame 53; 80 % of a 300 ms window later the utterance ends
    assert events[ended + 1:] == [Event.SILENCE] * (len(events) - ended - 1)


def test_a_short_pause_does_not_end_the_utterance():
    endpointer = Endpointer(EndpointConfig(end_silence_ms=300), classify=loud_classifier)
    events = [endpointer.feed(f) for f in frames_of(clip(("speech", 0.5), ("silence", 0.15), ("speech", 0.5),
                                                         ("silence", 0.5)))]
    assert events.count(Event.STARTED) == 1 and events.count(Event.ENDED) == 1


def test_endpointer_cuts_endless_speech():
    endpointer = Endpointer(EndpointConfig(max_speech_s=1.0), classify=loud_classifier)
    events = [endpointer.feed(f) for f in frames_of(clip(("speech", 3.0)))]
    assert events.count(Event.ENDED) >= 2


def test_utterances_are_what_hands_free_listening_would_recognise():
    config = EndpointConfig(start_ms=90, end_silence_ms=300, preroll_ms=150)
    samples = clip(("silence", 0.6), ("speech", 1.0), ("silence", 0.6), ("speech", 0.5), ("silence", 0.6))
    cuts = list(utterances(samples.tobytes(), Endpointer(config, classify=loud_classifier)))
    frames = frames_of(samples)
    # the pre-roll (150 ms) and the three frames that started it, then up to the frame that ended it
    assert len(cuts) == 2 and cuts[0] == b"".join(frames[22 - 7 : 53 + 8 + 1])
    assert list(utterances(clip(("silence", 1.0)).tobytes(), Endpointer(config, classify=loud_classifier))) == []
    unfinished = clip(("silence", 0.3), ("speech", 0.5))  # the recording stops while speech goes on
    assert list(utterances(unfinished.tobytes(), Endpointer(config, classify=loud_classifier))) == [
        b"".join(frames_of(unfinished)[10 + 2 - 7 :])]


def test_real_voice_activity_detector_on_a_tone_and_silence():
    endpointer = Endpointer(EndpointConfig())
    events = [endpointer.feed(f) for f in frames_of(clip(("silence", 0.5), ("silence", 0.5)))]
    assert set(events) == {Event.SILENCE}


def test_framer_makes_exact_frames_from_any_block_size():
    framer = Framer()
    pcm = bytes(range(256)) * 20
    frames = framer.frames(pcm[:1000]) + framer.frames(pcm[1000:3000]) + framer.frames(pcm[3000:])
    assert all(len(f) == FRAME_BYTES for f in frames)
    assert b"".join(frames) + framer.rest() == pcm


def test_wake_gate():
    gate = WakeGate("hey desk")
    assert gate.filter("hey desk what time is it", 0.0) == "what time is it"
    assert gate.filter("what time is it", 1.0) is None
    assert gate.filter("hey desk", 2.0) is None  # opens a follow-up window
    assert gate.filter("set a timer", 3.0) == "set a timer"
    assert gate.filter("set a timer", 4.0) is None
    assert WakeGate(None).filter("anything", 0.0) == "anything"


class FakeRecognizer:
    """Hears one word per 100 ms of loud audio; records what it was fed."""

    name = "fake"
    notes = ()

    def __init__(self) -> None:
        self.loud_frames = 0
        self.utterances = 0
        self.fed = 0

    def begin(self) -> None:
        self.loud_frames = 0
        self.utterances += 1

    def accept(self, pcm: bytes) -> None:
        self.fed += len(pcm)
        samples = np.frombuffer(pcm, dtype=np.int16)
        self.loud_frames += int(np.abs(samples).max() > 1000) * len(samples) // FRAME_SAMPLES

    def partial(self) -> str:
        return " ".join(["word"] * (self.loud_frames * 30 // 100))

    def finish(self) -> tuple[Transcript, Decision]:
        text = self.partial()
        return Transcript(text, "fake", audio_s=0.0), Decision("grammar", "test", text, None)

    def close(self) -> None:
        pass


def listen(samples: np.ndarray, settings: ListenSettings, seconds: float = 5.0, realtime: bool = False):
    recognizer = FakeRecognizer()
    session = ListeningSession(lambda: ClipSource(samples, realtime=realtime), lambda: recognizer, settings,
                               Endpointer(settings.endpoint, classify=loud_classifier))
    heard: list[Utterance] = []
    partials: list[tuple[float, str]] = []
    states: list[VoiceState] = []
    finished = threading.Event()
    session.events.utterance.connect(heard.append)
    session.events.partial.connect(lambda text: partials.append((time.monotonic(), text)))
    session.events.state_changed.connect(states.append)
    session.events.state_changed.connect(lambda s: finished.set() if s is VoiceState.IDLE and heard else None)
    session.start()
    finished.wait(seconds)
    session.close()
    return heard, partials, states, recognizer


def test_hands_free_hears_each_utterance_with_timings():
    samples = clip(("silence", 0.5), ("speech", 1.0), ("silence", 0.8), ("speech", 0.5), ("silence", 0.8))
    heard, _, states, recognizer = listen(samples, ListenSettings(mode=Mode.HANDS_FREE))
    assert [u.transcript.text.count("word") for u in heard] == [10, 5]
    assert recognizer.utterances == 2
    first = heard[0]
    assert [s.stage for s in first.stages] == [Stage.AUDIO, Stage.RECOGNITION]
    assert first.speech_end_ns <= time.perf_counter_ns()
    assert VoiceState.LISTENING in states and VoiceState.RECOGNISING in states


def test_partials_come_at_least_every_200_ms_of_speech():
    samples = clip(("silence", 0.3), ("speech", 2.0), ("silence", 0.6))
    _, partials, _, _ = listen(samples, ListenSettings(), realtime=True)
    assert len(partials) >= 9  # 2 s of speech (plus pre-roll): one partial per 200 ms of audio
    gaps = np.diff([t for t, _ in partials])
    assert gaps.max() < 0.3


def test_push_to_talk_takes_everything_until_release():
    samples = clip(("speech", 0.3), ("silence", 1.0), ("speech", 0.3))  # a long pause does not end it
    heard, _, _, recognizer = listen(samples, ListenSettings(mode=Mode.PUSH_TO_TALK))
    assert len(heard) == 1 and heard[0].transcript.text.count("word") == 6
    assert recognizer.fed == samples.nbytes


def test_wake_phrase_filters_hands_free_requests():
    class Saying(FakeRecognizer):
        def __init__(self, texts):
            super().__init__()
            self.texts = list(texts)

        def finish(self):
            text = self.texts.pop(0)
            return Transcript(text, "fake"), Decision("grammar", "test", text, None)

    recognizer = Saying(["what time is it", "hey desk set a timer"])
    samples = clip(("speech", 0.5), ("silence", 0.8), ("speech", 0.5), ("silence", 0.8))
    settings = ListenSettings(wake_phrase="hey desk")
    session = ListeningSession(lambda: ClipSource(samples), lambda: recognizer, settings,
                               Endpointer(settings.endpoint, classify=loud_classifier))
    heard: list[Utterance] = []
    session.events.utterance.connect(heard.append)
    session.start()
    deadline = time.monotonic() + 5
    while not heard and time.monotonic() < deadline:
        time.sleep(0.05)
    session.close()
    assert [u.transcript.text for u in heard] == ["set a timer"]


def test_a_session_whose_engine_cannot_start_says_why():
    from assistant.errors import SpeechError

    def broken():
        raise SpeechError("no Vosk model is installed: run `assistant models download vosk-small-en`")

    session = ListeningSession(lambda: ClipSource(np.zeros(10, dtype=np.int16)), broken)
    assert session.state is VoiceState.UNAVAILABLE
    assert "assistant models download" in (session.unavailable_reason or "")
    session.start()  # harmless
    session.close()


def test_capture_callback_never_blocks_and_counts_drops(monkeypatch):
    from assistant.speech import capture

    class FakeStatus:
        input_overflow = True

    microphone = capture.Microphone.__new__(capture.Microphone)
    import queue

    microphone._queue = queue.Queue(maxsize=2)
    microphone.overflows = microphone.dropped = 0
    started = time.perf_counter()
    for _ in range(5):
        microphone._callback(b"\0" * FRAME_BYTES, FRAME_SAMPLES, None, FakeStatus())
    assert time.perf_counter() - started < 0.05
    assert microphone.overflows == 5 and microphone.dropped == 3
    chunk = microphone.read(0.1)
    assert isinstance(chunk, Chunk) and chunk.seconds == pytest.approx(0.03)


def test_device_selection_by_name_or_number(monkeypatch):
    from assistant.errors import AudioDeviceError
    from assistant.speech import capture

    devices = [capture.InputDevice(0, "HDA Intel PCH: ALC3246 Analog", 2, 48000.0, True),
               capture.InputDevice(3, "USB Headset Mic", 1, 16000.0, False)]
    monkeypatch.setattr(capture, "input_devices", lambda: devices)
    assert capture.resolve_device("usb") == 3
    assert capture.resolve_device("3") == 3
    assert capture.resolve_device(None) is None
    with pytest.raises(AudioDeviceError, match="no input device named 'bluetooth'"):
        capture.resolve_device("bluetooth")
    with pytest.raises(AudioDeviceError, match="no input device number 7"):
        capture.resolve_device(7)
    monkeypatch.setattr(capture, "input_devices", lambda: [])
    with pytest.raises(AudioDeviceError, match="no microphone found"):
        capture.resolve_device(None)


def test_missing_portaudio_names_the_package(monkeypatch):
    import builtins

    from assistant.errors import AudioDeviceError
    from assistant.speech import capture

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(AudioDeviceError, match="libportaudio2"):
        capture.input_devices()

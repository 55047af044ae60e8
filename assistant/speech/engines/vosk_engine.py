"""Vosk (Kaldi): the accurate engine once a Vosk model is installed (``assistant models download``).

Small Vosk models (with a lookahead graph, ``graph/HCLr.fst`` + ``graph/Gr.fst``) take a phrase
list at run time: the recogniser is restricted to the grammar's sentences (or its word runs when
there are too many), plus ``[unk]`` for anything else. When an intent has a free-text slot a
second, unrestricted recogniser hears the same audio, and its text is used when the grammar
recogniser answers ``[unk]``. Vosk's own endpointer may close a segment early; segments are
joined, since the pipeline decides where an utterance ends.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from assistant.errors import SpeechError
from assistant.results import Transcript
from assistant.speech.audio import SAMPLE_BYTES, SAMPLE_RATE
from assistant.speech.engines import Decision, EngineSettings
from assistant.speech.grammar import DomainGrammar

log = logging.getLogger(__name__)

NAME = "vosk"
UNKNOWN = "[unk]"
PHRASE_LIMIT = 20000


def unavailable_reason(model: Path | None = None) -> str | None:
    try:
        import vosk  # noqa: F401
    except (ImportError, OSError) as exc:
        return f"the 'vosk' package is not usable ({exc}): pip install vosk"
    from assistant.speech.models import find_model

    if (model or find_model("vosk")) is None:
        return ("no Vosk model is installed: run `assistant models download vosk-small-en` (about 40 MB), or "
                "put an unpacked model in the folder `assistant models list` shows")
    return None


def supports_grammar(model: Path) -> bool:
    """Only models with a lookahead graph accept a phrase list at run time."""
    return (model / "graph" / "HCLr.fst").is_file() and (model / "graph" / "Gr.fst").is_file()


class _Stream:
    """One Kaldi recogniser and the segments it closed on its own during the utterance."""

    def __init__(self, recogniser: Any) -> None:
        self.recogniser = recogniser
        recogniser.SetWords(True)
        self.segments: list[str] = []

    def accept(self, pcm: bytes) -> None:
        if self.recogniser.AcceptWaveform(pcm):
            self.segments.append(json.loads(self.recogniser.Result()).get("text", ""))

    def partial(self) -> str:
        return " ".join([*self.segments, json.loads(self.recogniser.PartialResult()).get("partial", "")]).strip()

    def final(self) -> str:
        text = " ".join([*self.segments, json.loads(self.recogniser.FinalResult()).get("text", "")]).strip()
        self.segments = []
        return " ".join(text.split())


class VoskRecognizer:
    name = NAME

    def __init__(self, settings: EngineSettings) -> None:
        import vosk

        from assistant.speech.models import find_model

        vosk.SetLogLevel(-1)
        path = settings.model or find_model("vosk")
        if path is None:
            raise SpeechError(unavailable_reason() or "no Vosk model")
        try:
            self._model = vosk.Model(str(path))
        except Exception as exc:  # vosk raises a bare Exception for an unreadable model
            raise SpeechError(f"cannot load the Vosk model in {path}: {exc}") from exc
        notes: list[str] = []
        self.grammar: DomainGrammar | None = None
        self._grammar_stream: _Stream | None = None
        if settings.grammar is not None:
            if supports_grammar(path):
                self.grammar, dropped = settings.grammar.restricted(
                    lambda word: self._model.vosk_model_find_word(word) >= 0)
                if dropped:
                    shown = sorted(dropped)
                    notes.append(f"{len(shown)} words of the plugins are not in the Vosk model's vocabulary and "
                                 f"cannot be heard: {', '.join(shown[:10])}{' …' if len(shown) > 10 else ''}")
                phrases = [*self.grammar.phrase_list(PHRASE_LIMIT), UNKNOWN]
                self._grammar_stream = _Stream(vosk.KaldiRecognizer(self._model, SAMPLE_RATE, json.dumps(phrases)))
            else:
                notes.append(f"the Vosk model in {path} has a static graph, so it cannot be restricted to the "
                             "plugins' grammar; decoding with its full vocabulary")
        wants_open = settings.wants_open() or self._grammar_stream is None
        self._open_stream = _Stream(vosk.KaldiRecognizer(self._model, SAMPLE_RATE)) if wants_open else None
        self.notes = tuple(notes)
        self._samples = 0

    def _streams(self) -> list[_Stream]:
        return [s for s in (self._grammar_stream, self._open_stream) if s is not None]

    def begin(self) -> None:
        self._samples = 0
        for stream in self._streams():
            stream.recogniser.Reset()
            stream.segments = []

    def accept(self, pcm: bytes) -> None:
        self._samples += len(pcm) // SAMPLE_BYTES
        for stream in self._streams():
            stream.accept(pcm)

    def partial(self) -> str:
        stream = self._grammar_stream or self._open_stream
        assert stream is not None
        return stream.partial().replace(UNKNOWN, "").strip()

    def finish(self) -> tuple[Transcript, Decision]:
        grammar_text = self._grammar_stream.final() if self._grammar_stream is not None else None
        open_text = self._open_stream.final() if self._open_stream is not None else None
        if grammar_text is None:
            decision = Decision("open", "no grammar", None, open_text)
        elif open_text is not None and (not grammar_text or UNKNOWN in grammar_text.split()):
            decision = Decision("open", "the audio does not fit the grammar", grammar_text, open_text)
        else:
            decision = Decision("grammar", "grammar", grammar_text, open_text)
        text = (decision.grammar_text if decision.source == "grammar" else decision.open_text) or ""
        text = " ".join(w for w in text.split() if w != UNKNOWN)
        return Transcript(text=text, engine=NAME, audio_s=round(self._samples / SAMPLE_RATE, 3)), decision

    def close(self) -> None:
        self._grammar_stream = self._open_stream = None

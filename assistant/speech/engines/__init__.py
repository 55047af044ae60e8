"""Speech recognition engines behind one streaming interface.

An engine decodes against the plugins' command grammar (closed vocabulary: robust for commands)
and, when some intent has a free-text slot, also with its open-vocabulary model; the open result
wins when the audio does not fit the grammar. PocketSphinx ships its English model inside the
wheel and always works; Vosk is more accurate once a Vosk model is downloaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from assistant.errors import SpeechError
from assistant.results import Transcript
from assistant.speech.grammar import DomainGrammar

ENGINES = ("pocketsphinx", "vosk")
DEFAULT_ENGINE = "pocketsphinx"


@dataclass(frozen=True)
class EngineSettings:
    grammar: DomainGrammar | None = None
    """None decodes with the open-vocabulary model only (what closed-vocabulary decoding is measured against)."""
    open_fallback: bool | None = None
    """Also decode open-vocabulary and prefer it for out-of-grammar audio; None: only when the grammar
    has intents with free-text slots."""
    model: Path | None = None
    """Engine model folder (Vosk); None finds the installed one."""

    def wants_open(self) -> bool:
        if self.grammar is None:
            return True
        if self.open_fallback is None:
            return bool(self.grammar.open_intents)
        return self.open_fallback


@dataclass(frozen=True)
class Decision:
    """Which decoding an engine chose for an utterance, and why (shown with ``--json``)."""

    source: str
    """'grammar' or 'open'."""
    reason: str
    grammar_text: str | None = None
    open_text: str | None = None


class Recognizer(Protocol):
    """One utterance at a time: ``begin``, ``accept`` audio, read ``partial``, then ``finish``."""

    name: str
    notes: tuple[str, ...]
    """What the user should know about this recogniser (words the grammar had to leave out …)."""

    def begin(self) -> None: ...

    def accept(self, pcm: bytes) -> None:
        """Decode more 16 kHz mono int16 audio."""

    def partial(self) -> str:
        """The best guess so far."""

    def finish(self) -> tuple[Transcript, Decision]:
        """End the utterance; its final transcript."""

    def close(self) -> None: ...


def unavailable_reason(name: str, model: Path | None = None) -> str | None:
    """Why engine ``name`` cannot run here (with what to do), or None when it can."""
    if name == "pocketsphinx":
        from assistant.speech.engines.pocketsphinx_engine import unavailable_reason as reason
        return reason()
    if name == "vosk":
        from assistant.speech.engines.vosk_engine import unavailable_reason as vosk_reason
        return vosk_reason(model)
    return f"unknown speech engine {name!r} (one of: {', '.join(ENGINES)})"


def create(name: str, settings: EngineSettings) -> Recognizer:
    """A recogniser of engine ``name``; :class:`SpeechError` says why when it cannot run."""
    reason = unavailable_reason(name, settings.model)
    if reason is not None:
        raise SpeechError(reason)
    if name == "pocketsphinx":
        from assistant.speech.engines.pocketsphinx_engine import PocketSphinxRecognizer
        return PocketSphinxRecognizer(settings)
    from assistant.speech.engines.vosk_engine import VoskRecognizer
    return VoskRecognizer(settings)

"""Typed values that cross module boundaries: what was understood, how long it took, what was said."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

OUT_OF_SCOPE = "oos"
"""Intent name of a request no installed plugin handles."""


@dataclass(frozen=True)
class Slot:
    """One slot found in the user's words.

    ``start``/``end`` index the user's original text, so ``text[start:end] == raw`` always holds;
    ``value`` is the normalised value of the slot's type, or None when the words did not parse.
    """

    name: str
    raw: str
    start: int
    end: int
    value: Any = None
    confidence: float = 1.0
    type: str | None = None
    """The slot's declared type once normalised (``duration``, ``time`` ...)."""


@dataclass(frozen=True)
class IntentScore:
    name: str
    confidence: float


@dataclass(frozen=True)
class ParseResult:
    """What the model understood from one utterance."""

    text: str
    intent: IntentScore
    slots: tuple[Slot, ...] = ()
    alternatives: tuple[IntentScore, ...] = ()
    truncated_at: int | None = None
    """Character offset where the input was cut to fit the model, if it was."""

    @property
    def out_of_scope(self) -> bool:
        return self.intent.name == OUT_OF_SCOPE

    def slot(self, name: str) -> Slot | None:
        return next((s for s in self.slots if s.name == name), None)


class Stage(enum.StrEnum):
    """Stages a request passes through, in order."""

    AUDIO = "audio"
    RECOGNITION = "recognition"
    TOKENIZE = "tokenize"
    MODEL = "model"
    DECODE = "decode"
    HANDLER = "handler"
    TOTAL = "total"


@dataclass(frozen=True)
class StageTiming:
    stage: Stage
    ns: int
    joules: float | None = None
    """Energy the stage took, when an energy meter was attached (see :mod:`assistant.energy`)."""

    @property
    def ms(self) -> float:
        return self.ns / 1e6


@dataclass(frozen=True)
class Energy:
    """Energy one request took, always with where the figure comes from."""

    joules: float | None
    """None when no figure is available (e.g. below the meter's resolution)."""
    source: str
    """How it was obtained: 'rapl' (measured), 'battery' (measured), 'estimate' (CPU time x power)."""
    note: str = ""


@dataclass(frozen=True)
class Transcript:
    """What a speech recogniser heard."""

    text: str
    engine: str
    confidence: float | None = None
    audio_s: float = 0.0
    """Length of the audio that was recognised."""
    final: bool = True
    """False for a partial result while the user is still speaking."""


class TurnKind(enum.StrEnum):
    ANSWER = "answer"
    QUESTION = "question"
    """The assistant asks for a missing required slot."""
    OUT_OF_SCOPE = "out_of_scope"
    CANCELLED = "cancelled"
    UNAVAILABLE = "unavailable"
    """Understood, but the intent has no working handler (yet) or its plugin is disabled."""
    FAILED = "failed"
    """The handler raised or timed out; the user got an apology."""
    INVALID_INPUT = "invalid_input"
    DRY_RUN = "dry_run"


@dataclass(frozen=True)
class Turn:
    """One request and the assistant's answer to it."""

    text: str
    kind: TurnKind
    reply: str | None
    parse: ParseResult | None = None
    timings: tuple[StageTiming, ...] = ()
    notes: tuple[str, ...] = ()
    """Things the user should know besides the reply, e.g. that the input was cut."""
    intent_for_slots: str | None = None
    """The intent whose slots were filled, when a follow-up answered an earlier question."""
    energy: Energy | None = None
    transcript: Transcript | None = None
    """Set when the request was spoken."""

    def timings_ms(self) -> dict[str, float]:
        return {t.stage.value: round(t.ms, 3) for t in self.timings}

    def energy_by_stage(self) -> dict[str, float]:
        return {t.stage.value: t.joules for t in self.timings if t.joules is not None}


@dataclass(frozen=True)
class Notification:
    """Something due: a timer finished, an alarm rang. Shown in the terminal, tray or transcript."""

    title: str
    body: str
    source: str
    """Plugin that raised it."""
    when: float = field(default=0.0)
    """Unix time it became due."""
    late: bool = False
    """True when it fell due while the assistant was not running."""

"""Follow-up questions: asking for a missing required slot and filling it from the next answer."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from assistant.errors import ValueParseError
from assistant.plugins.spec import SlotSpec
from assistant.results import OUT_OF_SCOPE, ParseResult, Slot

SWITCH_CONFIDENCE = 0.85
"""An answer understood as a different request this surely starts that request instead."""
MAX_ATTEMPTS = 2
"""Questions asked again after an unreadable answer before the request is dropped."""

_CANCEL = {
    "cancel", "cancel that", "cancel it", "cancel this", "never mind", "nevermind", "forget it",
    "forget about it", "forget that", "stop", "stop it", "abort", "no", "nope", "nothing", "skip it",
    "don't bother", "dont bother", "leave it", "drop it", "no thanks", "not now", "nothing thanks",
}
_FILLER = re.compile(r"^(?:(?:um+|uh+|oh|well|ok(?:ay)?|so|actually|just|please|hmm+)[\s,]+)+", re.IGNORECASE)
_LEAD = re.compile(r"^(?:(?:make it|let'?s say|say|it'?s|it is|for|at|in|on|to|about|around|maybe)\s+)+",
                   re.IGNORECASE)


def is_cancel(text: str) -> bool:
    words = re.sub(r"[^\w\s']", " ", text.lower())
    words = re.sub(r"\s+", " ", _FILLER.sub("", words.strip())).strip()
    words = re.sub(r"\s+(?:please|then|thanks)$", "", words)
    return words in _CANCEL


@dataclass(frozen=True)
class PendingRequest:
    intent: str
    slots: tuple[Slot, ...]
    """Slots already known (normalised)."""
    missing: SlotSpec
    attempts: int = 0


@dataclass(frozen=True)
class Fill:
    slot: Slot


@dataclass(frozen=True)
class Switch:
    """The answer is a new request; drop the pending one."""


@dataclass(frozen=True)
class Reask:
    problem: str


FollowUp = Fill | Switch | Reask
Normaliser = Callable[[SlotSpec, str], Any]


def answer_to(pending: PendingRequest, parse: ParseResult, normalise: Normaliser) -> FollowUp:
    """Decide what an utterance means while a question is open."""
    wanted = pending.missing
    found = parse.slot(wanted.name)
    if found is not None and parse.intent.name in (pending.intent, OUT_OF_SCOPE):
        try:
            return Fill(replace(found, value=normalise(wanted, found.raw), type=wanted.type))
        except ValueParseError:
            pass
    confident_other = (parse.intent.name not in (pending.intent, OUT_OF_SCOPE)
                       and parse.intent.confidence >= SWITCH_CONFIDENCE)
    whole = _whole_answer(parse.text, wanted)
    if whole is not None and not (confident_other and wanted.type == "text"):
        start, end = whole
        try:
            value = normalise(wanted, parse.text[start:end])
            return Fill(Slot(wanted.name, parse.text[start:end], start, end, value, type=wanted.type))
        except ValueParseError as exc:
            if confident_other:
                return Switch()
            return Reask(str(exc))
    if confident_other:
        return Switch()
    return Reask("")


def _whole_answer(text: str, slot: SlotSpec) -> tuple[int, int] | None:
    """The span of an answer once fillers ("um, make it ...") and a closing "." are set aside."""
    start = 0
    for pattern in (_FILLER, _LEAD) if slot.type != "text" else (_FILLER,):
        match = pattern.match(text[start:])
        if match:
            start += match.end()
    end = len(text.rstrip().rstrip(".!?").rstrip())
    while start < end and text[start].isspace():
        start += 1
    return (start, end) if start < end else None


@dataclass
class DialogueState:
    pending: PendingRequest | None = None
    recent_intents: deque[str] = field(default_factory=lambda: deque(maxlen=10))

"""Command acceptance, as the benchmark counts it: the intent right and every labelled slot right.

Values are compared after normalising case and spaces (the labels carry stray spaces, " soy
milk"). The benchmark's own rule ignores slots the engine found but the label lacks; ``strict``
also requires that there are none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


def normalise(value: str) -> str:
    return " ".join(value.lower().split())


@dataclass(frozen=True)
class Verdict:
    accepted: bool
    strict: bool
    wrong: tuple[str, ...] = ()
    """Slots (or 'intent') that were missed or wrong."""


def judge(expected_intent: str, expected_slots: Mapping[str, str], intent: str | None,
          slots: Mapping[str, str]) -> Verdict:
    if intent != expected_intent:
        return Verdict(False, False, ("intent",))
    found = {name: normalise(value) for name, value in slots.items()}
    wrong = tuple(name for name, value in expected_slots.items() if found.get(name) != normalise(value))
    extra = set(found) - set(expected_slots)
    return Verdict(not wrong, not wrong and not extra, wrong)

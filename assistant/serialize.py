"""The JSON shape of a turn, shared by ``assistant ask --json`` and ``assistant listen --json``."""

from __future__ import annotations

from typing import Any

from assistant import values
from assistant.results import OUT_OF_SCOPE, Slot, Turn


def slot_json(slot: Slot) -> dict[str, Any]:
    value = values.to_json(slot.type, slot.value) if slot.type is not None else None
    return {"name": slot.name, "raw": slot.raw, "value": value, "start": slot.start, "end": slot.end}


def turn_json(turn: Turn) -> dict[str, Any]:
    parse = turn.parse
    intent: dict[str, Any] | None = None
    if parse is not None:
        name = turn.intent_for_slots or parse.intent.name
        intent = {"name": name, "confidence": round(parse.intent.confidence, 4)}
    elif turn.kind.value != "invalid_input":
        intent = {"name": OUT_OF_SCOPE, "confidence": 0.0}
    return {
        "text": turn.text,
        "intent": intent,
        "slots": [slot_json(s) for s in parse.slots] if parse is not None else [],
        "reply": turn.reply,
        "kind": turn.kind.value,
        "timings_ms": turn.timings_ms(),
        "energy": energy_json(turn),
        "notes": list(turn.notes),
    }


def energy_json(turn: Turn) -> dict[str, Any] | None:
    if turn.energy is None:
        return None
    return {"joules": turn.energy.joules, "source": turn.energy.source, "note": turn.energy.note,
            "by_stage": turn.energy_by_stage()}

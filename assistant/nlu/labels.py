"""The model's output vocabulary: intents (with ``oos``) and BIO slot tags."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from assistant.results import OUT_OF_SCOPE

OUTSIDE = "O"


@dataclass(frozen=True)
class LabelSet:
    intents: tuple[str, ...]
    """Intent names, ``oos`` first."""
    slot_tags: tuple[str, ...]
    """``O`` first, then ``B-slot``/``I-slot`` pairs."""
    intent_slots: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Which slots each intent may carry; decoding keeps only those."""

    @classmethod
    def build(cls, intent_slots: Mapping[str, Iterable[str]]) -> LabelSet:
        intents = (OUT_OF_SCOPE, *sorted(i for i in intent_slots if i != OUT_OF_SCOPE))
        slots = sorted({s for names in intent_slots.values() for s in names})
        tags = (OUTSIDE, *[f"{prefix}-{slot}" for slot in slots for prefix in ("B", "I")])
        return cls(intents, tags, {i: tuple(sorted(s)) for i, s in intent_slots.items() if i != OUT_OF_SCOPE})

    @property
    def slots(self) -> tuple[str, ...]:
        return tuple(t[2:] for t in self.slot_tags if t.startswith("B-"))

    def intent_index(self, name: str) -> int:
        return self.intents.index(name)

    def intent_indices(self, names: Iterable[str]) -> list[int]:
        """Each intent's index, -1 for one the model does not know (it can only be scored wrong)."""
        index = {name: i for i, name in enumerate(self.intents)}
        return [index.get(name, -1) for name in names]

    def tag_index(self, tag: str) -> int:
        return self.slot_tags.index(tag)

    def to_json(self) -> dict[str, object]:
        return {"intents": list(self.intents), "slot_tags": list(self.slot_tags),
                "intent_slots": {k: list(v) for k, v in sorted(self.intent_slots.items())}}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> LabelSet:
        intents = data["intents"]
        tags = data["slot_tags"]
        intent_slots = data.get("intent_slots", {})
        assert isinstance(intents, list) and isinstance(tags, list) and isinstance(intent_slots, dict)
        return cls(tuple(intents), tuple(tags), {k: tuple(v) for k, v in intent_slots.items()})

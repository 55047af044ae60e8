"""Slot-value substitution: more training sentences from the ones there are.

Each copy of an utterance that has slots gets, for every slot, another value the training split
has for a slot of the same name, drawn at random; the spans move with the text. The copies teach
the tagger to find a slot from its context instead of remembering which words fill it: the test
split of SNIPS names mostly songs, films, playlists and places its training split never names.
Utterances without slots are not copied (there is nothing to vary).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from assistant.nlu.data import LabeledUtterance
from assistant.plugins.spec import SlotSpan


def slot_values(data: Sequence[LabeledUtterance]) -> dict[str, list[str]]:
    """Each slot's distinct values, in order of first appearance (so a seed reproduces a draw)."""
    values: dict[str, dict[str, None]] = {}
    for item in data:
        for span in item.spans:
            values.setdefault(span.slot, {})[item.text[span.start:span.end]] = None
    return {slot: list(found) for slot, found in values.items()}


def substituted(item: LabeledUtterance, values: Sequence[str]) -> LabeledUtterance:
    """``item`` with its slots' values replaced by ``values`` (one per span, in order of position)."""
    pieces: list[str] = []
    spans: list[SlotSpan] = []
    position = 0
    length = 0
    for span, value in zip(sorted(item.spans, key=lambda s: s.start), values, strict=True):
        before = item.text[position:span.start]
        pieces += [before, value]
        start = length + len(before)
        spans.append(SlotSpan(span.slot, start, start + len(value)))
        length = start + len(value)
        position = span.end
    pieces.append(item.text[position:])
    text = "".join(pieces)
    words = None
    if item.words is not None:  # the data set's words are whitespace-separated: they stay so
        words, offset = [], 0
        for word in text.split(" "):
            if word:
                words.append((offset, offset + len(word)))
            offset += len(word) + 1
    return LabeledUtterance(text, item.intent, tuple(spans), tuple(words) if words is not None else None)


def augment(data: Sequence[LabeledUtterance], copies: int, seed: int) -> list[LabeledUtterance]:
    """``copies`` substituted versions of every utterance with slots (new texts only; an utterance
    whose slots have no other value makes fewer)."""
    if copies <= 0:
        return []
    rng = random.Random(seed)
    pools = slot_values(data)
    seen = {item.text for item in data}
    out = []
    for item in data:
        if not item.spans:
            continue
        for _ in range(copies):
            ordered = sorted(item.spans, key=lambda s: s.start)
            copy = substituted(item, [rng.choice(pools[s.slot]) for s in ordered])
            if copy.text not in seen:
                seen.add(copy.text)
                out.append(copy)
    return out

"""Text as HTML with each slot span highlighted (one colour per slot name, the same everywhere).

Spans are character offsets into the original text, so the highlight is exact whatever the
punctuation, capitals or spacing; the conversation and the plugins page share this code.
"""

from __future__ import annotations

import html
import zlib
from collections.abc import Iterable

from assistant.results import ParseResult

PALETTE = ("#ffd166", "#8ecae6", "#b5e48c", "#f4a3c0", "#cdb4db", "#ffb703", "#90e0ef", "#ffadad")


def slot_colour(name: str) -> str:
    return PALETTE[zlib.crc32(name.encode()) % len(PALETTE)]


def highlight_spans(text: str, spans: Iterable[tuple[str, int, int, str]]) -> str:
    """``spans`` are (slot name, start, end, title); overlapping or out-of-range spans are skipped."""
    out: list[str] = []
    position = 0
    for name, start, end, title in sorted(spans, key=lambda s: s[1]):
        if start < position or end > len(text) or start >= end:
            continue
        out.append(html.escape(text[position:start]))
        out.append(f'<span style="background-color:{slot_colour(name)}; color:#000;" title="{html.escape(title)}">'
                   f"{html.escape(text[start:end])}</span>")
        position = end
    out.append(html.escape(text[position:]))
    return "".join(out)


def highlighted_html(parse: ParseResult) -> str:
    return highlight_spans(parse.text, (
        (slot.name, slot.start, slot.end, slot.name + (f" = {slot.value}" if slot.value is not None else ""))
        for slot in parse.slots))

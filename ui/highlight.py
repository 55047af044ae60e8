"""The user's words as HTML with each slot highlighted (colour per slot name)."""

from __future__ import annotations

import html
import zlib

from assistant.results import ParseResult

PALETTE = ("#ffd166", "#8ecae6", "#b5e48c", "#f4a3c0", "#cdb4db", "#ffb703", "#90e0ef", "#ffadad")


def slot_colour(name: str) -> str:
    return PALETTE[zlib.crc32(name.encode()) % len(PALETTE)]


def highlighted_html(parse: ParseResult) -> str:
    out: list[str] = []
    position = 0
    text = parse.text
    for slot in sorted(parse.slots, key=lambda s: s.start):
        out.append(html.escape(text[position:slot.start]))
        title = f"{slot.name}" + (f" = {slot.value}" if slot.value is not None else "")
        out.append(f'<span style="background-color:{slot_colour(slot.name)}; color:#000;" title="{html.escape(title)}">'
                   f"{html.escape(text[slot.start:slot.end])}</span>")
        position = slot.end
    out.append(html.escape(text[position:]))
    return "".join(out)

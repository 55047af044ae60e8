"""Inline slot marks in examples: ``set a [pasta](label) timer for [8 minutes](duration)``.

Square brackets are special; a backslash escapes a literal one. Parentheses outside a mark are
plain text, so "what is (2 + 3) times 4" needs no escaping.
"""

from __future__ import annotations

import re

from assistant.plugins.spec import Example, SlotSpan

_SLOT_NAME = re.compile(r"[a-z][a-z0-9_]*")


class AnnotationError(ValueError):
    """Broken mark syntax; ``column`` is 1-based within the example."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"{message} (column {column})")
        self.column = column


def parse_example(source: str, line: int | None = None) -> Example:
    """Turn an annotated example into plain text with slot spans."""
    out: list[str] = []
    spans: list[SlotSpan] = []
    i = 0
    n = len(source)
    open_at: int | None = None  # index in ``out`` where the current mark's words begin
    open_col = 0
    while i < n:
        ch = source[i]
        if ch == "\\" and i + 1 < n and source[i + 1] in "[]\\":
            out.append(source[i + 1])
            i += 2
            continue
        if ch == "[":
            if open_at is not None:
                raise AnnotationError("a slot mark cannot contain another '['", i + 1)
            open_at = len("".join(out))
            open_col = i + 1
            i += 1
            continue
        if ch == "]":
            if open_at is None:
                raise AnnotationError("']' without a matching '['", i + 1)
            if i + 1 >= n or source[i + 1] != "(":
                raise AnnotationError("a slot mark '[words]' must be followed by '(slot_name)'", i + 1)
            close = source.find(")", i + 2)
            if close == -1:
                raise AnnotationError("'(' after a slot mark is never closed", i + 2)
            name = source[i + 2 : close].strip()
            if not _SLOT_NAME.fullmatch(name):
                raise AnnotationError(f"{name!r} is not a slot name (lower_snake_case)", i + 3)
            text_so_far = "".join(out)
            words = text_so_far[open_at:]
            if not words.strip():
                raise AnnotationError(f"slot mark for {name!r} has no words", open_col)
            if words != words.strip():
                raise AnnotationError(f"slot mark for {name!r} starts or ends with a space", open_col)
            spans.append(SlotSpan(name, open_at, len(text_so_far)))
            open_at = None
            i = close + 1
            continue
        out.append(ch)
        i += 1
    if open_at is not None:
        raise AnnotationError("'[' is never closed", open_col)
    return Example(text="".join(out), spans=tuple(spans), line=line)


def render_example(example: Example) -> str:
    """The inverse of :func:`parse_example` (used by the scaffold and the training tools)."""
    parts: list[str] = []
    pos = 0
    for span in sorted(example.spans, key=lambda s: s.start):
        parts.append(_escape(example.text[pos : span.start]))
        parts.append(f"[{_escape(example.text[span.start : span.end])}]({span.slot})")
        pos = span.end
    parts.append(_escape(example.text[pos:]))
    return "".join(parts)


def _escape(text: str) -> str:
    return re.sub(r"([\[\]\\])", r"\\\1", text)

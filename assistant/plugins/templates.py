"""Templates that expand into training examples.

Syntax: ``(set|start) [a] {label} timer for {duration}``

- ``(a|b|c)`` one of the alternatives (an alternative may be empty; they nest);
- ``[words]`` optional words, ``[a|an]`` optionally one of the alternatives;
- ``{slot}`` a slot filled from the value list of the same name; ``{slot:list}`` takes the
  words from the list ``list`` instead (``{from_unit:unit}``, ``{to_unit:unit}``).

Expansion counts the combinations exactly and samples them uniformly without enumerating, so a
template with millions of combinations costs no more than one with ten.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from assistant.plugins.spec import Example, SlotSpan

_PLACE = re.compile(r"([a-z][a-z0-9_]*)(?::([a-z][a-z0-9_]*))?")


class TemplateError(ValueError):
    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"{message} (column {column})")
        self.column = column


@dataclass(frozen=True)
class _Text:
    text: str


@dataclass(frozen=True)
class _Place:
    slot: str
    list_name: str


@dataclass(frozen=True)
class _Choice:
    alternatives: tuple[tuple[_Node, ...], ...]


_Node = _Text | _Place | _Choice


@dataclass(frozen=True)
class ParsedTemplate:
    nodes: tuple[_Node, ...]

    def places(self) -> Iterator[_Place]:
        yield from _places(self.nodes)


def _places(nodes: Sequence[_Node]) -> Iterator[_Place]:
    for node in nodes:
        if isinstance(node, _Place):
            yield node
        elif isinstance(node, _Choice):
            for alt in node.alternatives:
                yield from _places(alt)


def parse_template(pattern: str) -> ParsedTemplate:
    nodes, pos = _parse_sequence(pattern, 0, closer=None)
    if pos != len(pattern):  # pragma: no cover - _parse_sequence consumes everything at top level
        raise TemplateError("unexpected text", pos + 1)
    return ParsedTemplate(tuple(nodes))


def _parse_sequence(src: str, pos: int, closer: str | None) -> tuple[list[_Node], int]:
    """Parse until ``closer`` (or '|' inside a group); return nodes and the stop position."""
    nodes: list[_Node] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            nodes.append(_Text("".join(buf)))
            buf.clear()

    while pos < len(src):
        ch = src[pos]
        if ch == "\\" and pos + 1 < len(src):
            buf.append(src[pos + 1])
            pos += 2
            continue
        if closer is not None and ch in (closer, "|"):
            flush()
            return nodes, pos
        if ch in ")]|":
            raise TemplateError(f"unexpected {ch!r}", pos + 1)
        if ch in "([":
            flush()
            choice, pos = _parse_group(src, pos)
            nodes.append(choice)
            continue
        if ch == "{":
            flush()
            place, pos = _parse_place(src, pos)
            nodes.append(place)
            continue
        if ch == "}":
            raise TemplateError("'}' without '{'", pos + 1)
        buf.append(ch)
        pos += 1
    if closer is not None:
        return nodes, pos  # caller reports the unclosed group
    flush()
    return nodes, pos


def _parse_group(src: str, pos: int) -> tuple[_Choice, int]:
    """``(a|b)`` or ``[a|b]`` starting at ``pos``; square brackets add the empty alternative."""
    opener = src[pos]
    closer = ")" if opener == "(" else "]"
    alternatives: list[tuple[_Node, ...]] = []
    start, pos = pos, pos + 1
    while True:
        alternative, pos = _parse_sequence(src, pos, closer=closer)
        alternatives.append(tuple(alternative))
        if pos >= len(src):
            raise TemplateError(f"{opener!r} is never closed", start + 1)
        pos += 1  # past '|' or the closer
        if src[pos - 1] != "|":
            break
    if opener == "[":
        alternatives.append(())
    return _Choice(tuple(alternatives)), pos


def _parse_place(src: str, pos: int) -> tuple[_Place, int]:
    close = src.find("}", pos)
    if close == -1:
        raise TemplateError("'{' is never closed", pos + 1)
    match = _PLACE.fullmatch(src[pos + 1 : close].strip())
    if not match:
        raise TemplateError(f"{src[pos + 1 : close]!r} is not a slot place like {{slot}} or {{slot:list}}", pos + 1)
    return _Place(match.group(1), match.group(2) or match.group(1)), close + 1


def count_expansions(template: ParsedTemplate, lists: Mapping[str, Sequence[str]]) -> int:
    return _count_seq(template.nodes, lists)


def _count_seq(nodes: Sequence[_Node], lists: Mapping[str, Sequence[str]]) -> int:
    return math.prod(_count_node(n, lists) for n in nodes)


def _count_node(node: _Node, lists: Mapping[str, Sequence[str]]) -> int:
    if isinstance(node, _Text):
        return 1
    if isinstance(node, _Place):
        return len(lists[node.list_name])
    return sum(_count_seq(alt, lists) for alt in node.alternatives)


def expand(
    template: ParsedTemplate,
    lists: Mapping[str, Sequence[str]],
    limit: int,
    rng: random.Random,
) -> list[Example]:
    """Up to ``limit`` distinct expansions, sampled uniformly (all of them when there are fewer)."""
    total = count_expansions(template, lists)
    indices = range(total) if total <= limit else _sample_indices(total, limit, rng)
    examples: dict[str, Example] = {}
    for index in indices:
        pieces: list[tuple[str, str | None]] = []
        _decode_seq(template.nodes, index, lists, pieces)
        example = _join(pieces)
        if example.text:
            examples.setdefault(example.text, example)
    return list(examples.values())


def _sample_indices(total: int, limit: int, rng: random.Random) -> list[int]:
    """``limit`` distinct indices below ``total``, uniformly; works for totals beyond 2**63."""
    if total < 2**62:
        return sorted(rng.sample(range(total), limit))
    chosen: set[int] = set()
    while len(chosen) < limit:  # collisions are vanishingly rare at this size
        chosen.add(rng.randrange(total))
    return sorted(chosen)


def _decode_seq(nodes: Sequence[_Node], index: int, lists: Mapping[str, Sequence[str]],
                out: list[tuple[str, str | None]]) -> None:
    # Mixed-radix decoding: the last node varies fastest.
    counts = [_count_node(n, lists) for n in nodes]
    digits = []
    for count in reversed(counts):
        index, digit = divmod(index, count)
        digits.append(digit)
    for node, digit in zip(nodes, reversed(digits), strict=True):
        _decode_node(node, digit, lists, out)


def _decode_node(node: _Node, index: int, lists: Mapping[str, Sequence[str]],
                 out: list[tuple[str, str | None]]) -> None:
    if isinstance(node, _Text):
        out.append((node.text, None))
    elif isinstance(node, _Place):
        out.append((lists[node.list_name][index], node.slot))
    else:
        for alt in node.alternatives:
            size = _count_seq(alt, lists)
            if index < size:
                _decode_seq(alt, index, lists, out)
                return
            index -= size


def _join(pieces: Sequence[tuple[str, str | None]]) -> Example:
    """Concatenate pieces, collapsing runs of whitespace, keeping slot spans exact."""
    chars: list[str] = []
    owners: list[int] = []  # index of the piece a character came from, -1 for plain text
    for number, (piece, slot) in enumerate(pieces):
        owner = number if slot is not None else -1
        for ch in piece.strip() if slot is not None else piece:
            if ch.isspace() and (not chars or chars[-1] == " "):
                continue
            chars.append(" " if ch.isspace() else ch)
            owners.append(owner)
    while chars and chars[-1] == " ":
        chars.pop()
        owners.pop()
    spans: list[SlotSpan] = []
    start = 0
    while start < len(owners):
        end = start
        while end < len(owners) and owners[end] == owners[start]:
            end += 1
        if owners[start] >= 0:
            slot = pieces[owners[start]][1]
            assert slot is not None
            spans.append(SlotSpan(slot, start, end))
        start = end
    return Example(text="".join(chars), spans=tuple(spans))

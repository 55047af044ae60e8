"""Choice slots: the user's words for one of a fixed set of values.

``context.choices`` maps every accepted word or phrase (lower case) to its canonical value. The
words match when they are equal after dropping case and punctuation, then when they share a crude
stem ("pausing", "pauses" -> "pause"; "batteries" -> "battery"), and last when exactly one choice
phrase appears inside them ("the battery level" -> "battery"; "turn it down" -> "down").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from assistant.errors import ValueParseError
from assistant.values._words import tidy

if TYPE_CHECKING:
    from assistant.values import ValueContext

_NOT_WORD = re.compile(r"[^\w\s]+")
_LEADING_FILLERS = frozenset({"the", "a", "an", "my", "some", "to"})
_SUFFIXES = (("ies", "y"), ("ing", ""), ("es", ""), ("ed", ""), ("s", ""))


def parse(raw: str, context: ValueContext) -> str:
    """The canonical value the words name; an error lists the values that would have fitted."""
    if not context.choices:
        raise ValueParseError("there are no values to choose from")
    words = _words(raw)
    if not words:
        raise ValueParseError("no words were given")
    found = _match(words, context.choices)
    if found is None:
        raise ValueParseError(f"{raw.strip()!r} is not one of: {_listing(context.choices.values())}")
    return found


def to_json(value: str) -> str:
    """The canonical value is already JSON."""
    return value


def describe(value: str) -> str:
    """The canonical value is said as is."""
    return value


def _match(words: tuple[str, ...], choices: Mapping[str, str]) -> str | None:
    """The first of the ever looser ways of matching that gives exactly one canonical value."""
    exact = {_words(key): canonical for key, canonical in choices.items()}
    trimmed = _drop_fillers(words)
    for candidate in (words, trimmed):
        if candidate in exact:
            return exact[candidate]
    stemmed = _unique_map((tuple(map(_stem, key)), canonical) for key, canonical in exact.items())
    for candidate in (words, trimmed):
        canonical = stemmed.get(tuple(map(_stem, candidate)))
        if canonical:
            return canonical
    return _contained(tuple(map(_stem, words)), stemmed)


def _contained(words: tuple[str, ...], stemmed: Mapping[tuple[str, ...], str]) -> str | None:
    """The one canonical value whose phrase occurs inside the words, if only one does."""
    found = {canonical for key, canonical in stemmed.items() if key and canonical
             and _occurs(key, words)}
    return found.pop() if len(found) == 1 else None


def _occurs(phrase: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """Whether ``phrase`` is a run of whole words in ``words``."""
    size = len(phrase)
    return any(words[start:start + size] == phrase for start in range(len(words) - size + 1))


def _unique_map(pairs: Iterable[tuple[tuple[str, ...], str]]) -> dict[tuple[str, ...], str]:
    """Key -> canonical, leaving out keys that stem alike but mean different values ("" marks them)."""
    result: dict[tuple[str, ...], str] = {}
    for key, canonical in pairs:
        result[key] = canonical if result.get(key, canonical) == canonical else ""
    return result


def _words(text: str) -> tuple[str, ...]:
    """Lower-case words without punctuation ("Turn it DOWN!" -> ("turn", "it", "down"))."""
    return tuple(_NOT_WORD.sub(" ", tidy(text)).split())


def _drop_fillers(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words without leading articles and the like ("the battery" -> "battery")."""
    start = 0
    while start < len(words) - 1 and words[start] in _LEADING_FILLERS:
        start += 1
    return words[start:]


def _stem(word: str) -> str:
    """A crude root shared by simple inflections: pause/pauses/pausing, stop/stopping, battery/batteries."""
    if len(word) > 3 and not word.endswith("ss"):
        for suffix, replacement in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 2:
                word = word[: -len(suffix)] + replacement
                break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    return word


def _listing(canonicals: Iterable[str]) -> str:
    """The distinct canonical values, sorted, for an error message."""
    return ", ".join(sorted(set(canonicals)))

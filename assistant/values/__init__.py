"""Normalising slot words into typed values, one module per type, shared by every plugin.

Each type module provides ``parse(raw, context)``, ``to_json(value)`` and ``describe(value)``.
Modules load on first use: some rest on large libraries (pint, dateparser) that a request which
does not need them should not pay for at start-up.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import ModuleType
from typing import Any

from assistant.errors import ValueParseError

_MODULES = {
    "text": "text",
    "choice": "choice",
    "number": "numbers",
    "percentage": "percentages",
    "duration": "durations",
    "time": "times",
    "date": "dates",
    "unit": "units",
    "expression": "expressions",
}
TYPE_NAMES: tuple[str, ...] = tuple(_MODULES)

JsonValue = str | int | float | bool | None | list[Any] | dict[str, Any]


@dataclass(frozen=True)
class ValueContext:
    """What a parser may need besides the words."""

    now: datetime
    """The request's time, timezone-aware; relative dates and times count from it."""
    choices: Mapping[str, str] = field(default_factory=dict)
    """For ``choice`` slots: every accepted word (lower case) to its canonical value."""


def _module(type_name: str) -> ModuleType:
    try:
        return importlib.import_module(f"assistant.values.{_MODULES[type_name]}")
    except KeyError:
        raise ValueParseError(f"unknown slot type {type_name!r}") from None


def normalise(type_name: str, raw: str, context: ValueContext) -> Any:
    """The typed value of ``raw``; raises :class:`ValueParseError` when the words do not fit the type."""
    if not raw.strip():
        raise ValueParseError(f"no words to read a {type_name} from")
    return _module(type_name).parse(raw, context)


def to_json(type_name: str, value: Any) -> JsonValue:
    """A JSON-friendly form of a value (durations in seconds, times as HH:MM, dates as ISO)."""
    if value is None:
        return None
    result: JsonValue = _module(type_name).to_json(value)
    return result


def describe(type_name: str, value: Any) -> str:
    """How the assistant says a value back ("8 minutes", "6:30 AM", "Friday 27 November")."""
    result: str = _module(type_name).describe(value)
    return result

"""Unit slots ("kilograms", "km", "fahrenheit", "miles per hour") as pint unit names.

The value is the name pint's registry knows the unit by ("kilogram", "degree_Fahrenheit",
"mile_per_hour", "gigabyte"), so the conversion handler can hand it straight to pint. pint reads
names, plurals and symbols; a small table covers what it reads differently ("kilos" is not
kiloseconds here, "mb" is megabytes not millibarns, "centigrade" is Celsius). Speeds may be said as
"<length> per <time>", "<length>/<time>" or "<length> an hour". Only units of length, mass, volume,
temperature (always the absolute scales), speed, time and data are accepted.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.errors import ValueParseError
from assistant.values._pint import unit_registry
from assistant.values._words import tidy

if TYPE_CHECKING:
    from assistant.values import ValueContext

_ALIASES: dict[str, str] = {
    "kilo": "kilogram", "kilos": "kilogram",
    "centigrade": "degree_Celsius", "c": "degree_Celsius", "°c": "degree_Celsius",
    "f": "degree_Fahrenheit", "°f": "degree_Fahrenheit", "k": "kelvin",
    "kph": "kilometer_per_hour", "kmh": "kilometer_per_hour", "kmph": "kilometer_per_hour",
    "kb": "kilobyte", "mb": "megabyte", "gb": "gigabyte", "tb": "terabyte",
    "megs": "megabyte", "gigs": "gigabyte",
    "fl oz": "fluid_ounce", "fluid oz": "fluid_ounce",
    "m": "meter", "g": "gram", "l": "liter", "h": "hour", "s": "second",
}
"""Words pint reads as something else, or not at all (keys lower case)."""

_DEGREES = re.compile(r"^(?:degrees?|deg)\s+")
_SPEED = re.compile(r"^(?P<length>.+?)\s*(?:/|\bper\b|\ban\b|\ba\b)\s*(?P<time>[a-z]+)$")
_SHORTEST_PINT_WORD = 2
"""Single letters pint knows are mostly surprises ("a" is a year); the useful ones are aliases."""
_DATA_UNITS = frozenset({"byte", "bit"})
_IRREGULAR_PLURALS = {"foot": "feet", "inch": "inches", "stone": "stone", "kelvin": "kelvin",
                      "hertz": "hertz"}
_KINDS = ("[length]", "[mass]", "[length] ** 3", "[temperature]", "[length] / [time]", "[time]")


def parse(raw: str, context: ValueContext) -> str:
    """The pint name of the unit the words name."""
    text = tidy(raw).replace("º", "°")
    if _DEGREES.match(text):
        text = _DEGREES.sub("", text)
    elif text in ("degree", "degrees"):
        raise ValueParseError("degrees of what? say 'degrees Celsius' or 'degrees Fahrenheit'")
    name = _speed(text, raw) if _SPEED.match(text) and not _known(text) else _simple(text, raw)
    if name is None:
        raise ValueParseError(f"I don't know the unit {raw.strip()!r}")
    return name


def to_json(value: str) -> str:
    """The pint name is already JSON."""
    return value


def describe(value: str) -> str:
    """A readable plural: "kilograms", "degrees Fahrenheit", "miles per hour", "feet"."""
    for separator in ("_per_", " / "):
        if separator in value:
            amount, per = value.split(separator, 1)
            return f"{describe(amount)} per {per.replace('_', ' ')}"
    if value.startswith("degree_"):
        return "degrees " + value.removeprefix("degree_").replace("_", " ")
    *first, last = value.split("_")
    return " ".join([*first, _plural(last)])


def _known(text: str) -> bool:
    """Whether the words name a unit as they stand ("km/h" is an alias, not a length per time)."""
    return text in _ALIASES or _pint_name(text) is not None


def _simple(text: str, raw: str) -> str | None:
    """A unit named by one word or phrase ("kilograms", "kg", "fluid ounces")."""
    name = _ALIASES.get(text) or _pint_name(raw.strip()) or _pint_name(text)
    return name if name is not None and _allowed(name) else None


def _speed(text: str, raw: str) -> str | None:
    """"miles per hour", "km/h", "meters a second": pint's own name for it when it has one."""
    match = _SPEED.match(text)
    if match is None:  # pragma: no cover - parse checked it
        return None
    length, duration = _simple(match["length"], match["length"]), _simple(match["time"], match["time"])
    if length is None or duration is None:
        return None
    combined = _pint_name(f"{length}_per_{duration}") or f"{length} / {duration}"
    return combined if _allowed(combined) else None


def _pint_name(word: str) -> str | None:
    """pint's canonical name for a unit word, or None; spaces in names become underscores."""
    import pint

    word = word.replace(" ", "_")
    if len(word) < _SHORTEST_PINT_WORD or not re.fullmatch(r"[A-Za-z_°]+", word):
        return None
    try:
        name: str = unit_registry().get_name(word)
    except (pint.errors.PintError, AttributeError, ValueError, KeyError, TypeError):
        return None
    return name.removeprefix("delta_")


def _allowed(name: str) -> bool:
    """Whether the unit measures length, mass, volume, temperature, speed, time or data."""
    registry = unit_registry()
    units = registry.Unit(name)
    if units.dimensionless:
        parts = registry.parse_unit_name(name)
        return bool(parts) and all(base in _DATA_UNITS for _, base, _ in parts)
    return str(units.dimensionality) in _KINDS


def _plural(word: str) -> str:
    """English plural of a unit word: miles, inches, feet, centuries, kelvin."""
    if word in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[word]
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u"):
        return word[:-1] + "ies"
    return word + "s"

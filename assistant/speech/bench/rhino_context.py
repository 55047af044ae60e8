"""A Picovoice Rhino context (``coffee_maker.yaml``) as a :class:`PluginSpec`, in memory.

Rhino expressions write ``[a, b]`` for "optionally one of", ``(a, b)`` for "one of", ``$type:name``
for a slot and ``@macro`` for a shared phrase list. They become the project's template syntax
(``[a|b]``, ``(a|b)``, ``{name:type}``); every slot is a ``choice`` whose values are the phrases
of its Rhino slot type, each its own canonical value, so the benchmark's labels compare exactly.
Names become the project's lower_snake_case (``numberOfShots`` -> ``number_of_shots``).
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import DataFormatError
from assistant.plugins.spec import IntentSpec, PluginSpec, SlotSpec, Template
from assistant.plugins.templates import expand, parse_template

_SLOT = re.compile(r"\$([A-Za-z][A-Za-z0-9_]*):([A-Za-z][A-Za-z0-9_]*)")
_MACRO = re.compile(r"@([A-Za-z][A-Za-z0-9_]*)")
_GROUP = re.compile(r"[\[(]([^\[\]()]*)[\])]")


def snake(name: str) -> str:
    """``numberOfShots`` -> ``number_of_shots``."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


@dataclass(frozen=True)
class RhinoContext:
    spec: PluginSpec
    intent_names: Mapping[str, str]
    """Rhino intent name -> the spec's intent name."""
    slot_names: Mapping[str, str]
    """Rhino slot name -> the spec's slot name."""


def _template(expression: str, macros: Mapping[str, list[str]]) -> str:
    def group(match: re.Match[str]) -> str:
        options = "|".join(o.strip() for o in match.group(1).split(","))
        return ("[" if match.group(0)[0] == "[" else "(") + options + ("]" if match.group(0)[0] == "[" else ")")

    def macro(match: re.Match[str]) -> str:
        if match.group(1) not in macros:
            raise DataFormatError(f"expression uses macro @{match.group(1)}, which the context does not define")
        return "(" + "|".join(macros[match.group(1)]) + ")"

    text = _MACRO.sub(macro, expression)
    text = _GROUP.sub(group, text)
    return _SLOT.sub(lambda m: "{" + snake(m.group(2)) + ":" + snake(m.group(1)) + "}", text)


def convert(context: Mapping[str, Any], plugin: str = "coffee", examples_per_intent: int = 20) -> RhinoContext:
    """The spec of a parsed Rhino context (the mapping under the file's ``context`` key)."""
    try:
        expressions: Mapping[str, list[str]] = context["expressions"]
        slot_types: Mapping[str, list[str]] = context.get("slots") or {}
    except (KeyError, TypeError, AttributeError):
        raise DataFormatError("a Rhino context needs 'expressions' (and 'slots')") from None
    macros: Mapping[str, list[str]] = context.get("macros") or {}
    values = tuple((snake(name), tuple(str(v).strip() for v in words)) for name, words in slot_types.items())
    lists = dict(values)
    rng = random.Random(0)
    intents, intent_names, slot_names = [], {}, {}
    for rhino_intent, lines in expressions.items():
        name = f"{plugin}.{snake(rhino_intent)}"
        intent_names[rhino_intent] = name
        slot_types_used: dict[str, str] = {}
        for line in lines:
            for type_name, slot in _SLOT.findall(line):
                slot_names[slot] = snake(slot)
                slot_types_used[snake(slot)] = snake(type_name)
        for type_name in slot_types_used.values():
            if type_name not in lists:
                raise DataFormatError(f"intent {rhino_intent!r} uses slot type {type_name!r}, which has no values")
        templates = tuple(Template(_template(line, macros)) for line in lines)
        slots = tuple(SlotSpec(slot, "choice", choices=tuple((v, ()) for v in lists[type_name]))
                      for slot, type_name in slot_types_used.items())
        intent_values = tuple((slot, lists[type_name]) for slot, type_name in slot_types_used.items())
        examples = []
        for template in templates:
            examples += expand(parse_template(template.pattern), {**lists, **dict(intent_values)}, 1, rng)
        rng.shuffle(examples)
        intents.append(IntentSpec(name, f"Rhino intent {rhino_intent}", slots, tuple(examples[:examples_per_intent]),
                                  templates, values + intent_values))
    spec = PluginSpec(plugin, "Converted from a Picovoice Rhino context", Path("<rhino context>"), tuple(intents),
                      values)
    return RhinoContext(spec, intent_names, slot_names)


def read_context(path: Path, plugin: str = "coffee") -> RhinoContext:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFormatError(f"cannot read the Rhino context {path}: {exc}") from exc
    if not isinstance(document, dict) or "context" not in document:
        raise DataFormatError(f"{path} is not a Rhino context (no top-level 'context')")
    return convert(document["context"], plugin)

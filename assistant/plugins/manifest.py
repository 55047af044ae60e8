"""Reading a plugin's ``intents.yaml`` into a :class:`PluginSpec`, strictly.

Every problem is reported with file, line and intent; all problems of a file are collected in one
pass so an author fixes them in one go.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from assistant.errors import PluginError, SourceLocation
from assistant.plugins.annotations import AnnotationError, parse_example
from assistant.plugins.spec import Example, IntentSpec, PluginSpec, SlotSpec, Template
from assistant.plugins.templates import TemplateError, parse_template
from assistant.plugins.yaml_nodes import NodeReader, compose
from assistant.values import TYPE_NAMES

MANIFEST_NAME = "intents.yaml"
INTENT_NAME = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")
SLOT_NAME = re.compile(r"[a-z][a-z0-9_]*")
PLUGIN_NAME = re.compile(r"[a-z][a-z0-9_\-]*")

_TOP_KEYS = ("plugin", "description", "values", "intents", "out_of_scope")
_INTENT_KEYS = ("description", "slots", "examples", "templates", "values")
_SLOT_KEYS = ("type", "required", "prompt", "choices")


def read_manifest(path: Path, default_name: str) -> PluginSpec:
    """Parse and validate one ``intents.yaml``; raise :class:`PluginError` listing every problem."""
    reader = NodeReader(path)
    root = compose(path)
    top = reader.mapping(root, "the plugin file", _TOP_KEYS)

    name = default_name
    if "plugin" in top:
        given = reader.string(top["plugin"][1], "'plugin'")
        if given is not None:
            if PLUGIN_NAME.fullmatch(given):
                name = given
            else:
                reader.problem(f"plugin name {given!r} must be lower case letters, digits, '_' or '-'",
                               top["plugin"][1])
    description = ""
    if "description" in top:
        description = reader.string(top["description"][1], "'description'") or ""

    shared_values = _read_values(reader, top["values"][1], None) if "values" in top else {}

    intents: list[IntentSpec] = []
    if "intents" not in top:
        reader.problem("the plugin declares no 'intents'", root)
    else:
        entries = reader.mapping(top["intents"][1], "'intents'", (), open_keys=True)
        if not entries and isinstance(top["intents"][1], yaml.MappingNode):
            reader.problem("'intents' is empty", top["intents"][1])
        for intent_name, (key_node, value_node) in entries.items():
            intent = _read_intent(reader, intent_name, key_node, value_node, shared_values)
            if intent is not None:
                intents.append(intent)

    negatives: list[Example] = []
    if "out_of_scope" in top:
        for text, line in reader.strings(top["out_of_scope"][1], "'out_of_scope'"):
            negatives.append(Example(text=text.strip(), line=line))

    if reader.problems:
        first = reader.problems[0]
        raise PluginError(first.message, first.location, tuple(reader.problems))
    return PluginSpec(
        name=name,
        description=description,
        file=path,
        intents=tuple(intents),
        values=tuple(shared_values.items()),
        out_of_scope=tuple(negatives),
    )


def _read_values(reader: NodeReader, node: yaml.Node, intent: str | None) -> dict[str, tuple[str, ...]]:
    values: dict[str, tuple[str, ...]] = {}
    for list_name, (key_node, list_node) in reader.mapping(node, "'values'", (), intent, open_keys=True).items():
        if not SLOT_NAME.fullmatch(list_name):
            reader.problem(f"value list name {list_name!r} must be lower_snake_case", key_node, intent)
            continue
        words = tuple(w.strip() for w, _ in reader.strings(list_node, f"value list {list_name!r}", intent))
        if not words:
            reader.problem(f"value list {list_name!r} is empty", list_node, intent)
            continue
        values[list_name] = words
    return values


def _read_intent(reader: NodeReader, name: str, key_node: yaml.Node, node: yaml.Node,
                 shared_values: dict[str, tuple[str, ...]]) -> IntentSpec | None:
    if not INTENT_NAME.fullmatch(name):
        reader.problem(f"intent name {name!r} must look like 'domain.action' (lower case)", key_node, name)
        return None
    entries = reader.mapping(node, f"intent {name!r}", _INTENT_KEYS, name)
    description = ""
    if "description" in entries:
        description = reader.string(entries["description"][1], "'description'", name) or ""

    slots: list[SlotSpec] = []
    if "slots" in entries:
        slot_map = reader.mapping(entries["slots"][1], "'slots'", (), name, open_keys=True)
        for slot_name, (slot_key, slot_node) in slot_map.items():
            slot = _read_slot(reader, name, slot_name, slot_key, slot_node)
            if slot is not None:
                slots.append(slot)
    declared = {s.name: s for s in slots}

    values = dict(shared_values)
    if "values" in entries:
        values.update(_read_values(reader, entries["values"][1], name))
    for slot in slots:
        if slot.type == "choice" and slot.name not in values:
            values[slot.name] = tuple(sorted(slot.choice_words()))

    examples: list[Example] = []
    if "examples" in entries:
        for text, line in reader.strings(entries["examples"][1], "'examples'", name):
            example = _read_example(reader, text, line, name, declared)
            if example is not None:
                examples.append(example)
    if not examples:
        where = entries["examples"][1] if "examples" in entries else key_node
        reader.problem("the intent has no examples", where, name)

    templates: list[Template] = []
    if "templates" in entries:
        for pattern, line in reader.strings(entries["templates"][1], "'templates'", name):
            location = SourceLocation(reader.path, line, name)
            try:
                parsed = parse_template(pattern)
            except TemplateError as exc:
                reader.problems.append(PluginError(f"broken template {pattern!r}: {exc}", location))
                continue
            for place in parsed.places():
                if place.slot not in declared:
                    reader.problems.append(PluginError(
                        f"template uses slot {place.slot!r} but the intent does not declare it", location))
                elif place.list_name not in values:
                    reader.problems.append(PluginError(
                        f"template place {{{place.slot}"
                        + (f":{place.list_name}" if place.list_name != place.slot else "")
                        + f"}} needs a value list {place.list_name!r} under 'values'", location))
            templates.append(Template(pattern, line))

    return IntentSpec(
        name=name,
        description=description,
        slots=tuple(slots),
        examples=tuple(examples),
        templates=tuple(templates),
        values=tuple(values.items()),
        line=key_node.start_mark.line + 1,
    )


def _read_slot(reader: NodeReader, intent: str, name: str, key_node: yaml.Node,
               node: yaml.Node) -> SlotSpec | None:
    if not SLOT_NAME.fullmatch(name):
        reader.problem(f"slot name {name!r} must be lower_snake_case", key_node, intent)
        return None
    entries = reader.mapping(node, f"slot {name!r}", _SLOT_KEYS, intent)
    if "type" not in entries:
        reader.problem(f"slot {name!r} has no 'type' (one of {', '.join(TYPE_NAMES)})", key_node, intent)
        return None
    slot_type = reader.string(entries["type"][1], "'type'", intent)
    if slot_type is None:
        return None
    if slot_type not in TYPE_NAMES:
        reader.problem(f"slot {name!r} has unknown type {slot_type!r} (one of {', '.join(TYPE_NAMES)})",
                       entries["type"][1], intent)
        return None
    required = reader.boolean(entries["required"][1], "'required'", intent) if "required" in entries else False
    prompt = reader.string(entries["prompt"][1], "'prompt'", intent) if "prompt" in entries else None
    if required and prompt is None and "prompt" not in entries:
        reader.problem(f"required slot {name!r} needs a 'prompt' to ask when it is missing", key_node, intent)

    choices: list[tuple[str, tuple[str, ...]]] = []
    if "choices" in entries:
        if slot_type != "choice":
            reader.problem(f"'choices' only applies to slots of type 'choice', not {slot_type!r}",
                           entries["choices"][0], intent)
        choice_map = reader.mapping(entries["choices"][1], "'choices'", (), intent, open_keys=True)
        for canonical, (_, synonyms_node) in choice_map.items():
            synonyms = tuple(w for w, _ in reader.strings(synonyms_node, f"synonyms of {canonical!r}", intent))
            choices.append((canonical, synonyms))
        if slot_type == "choice" and not choice_map and isinstance(entries["choices"][1], yaml.MappingNode):
            reader.problem(f"slot {name!r} of type 'choice' has no choices", entries["choices"][1], intent)
    elif slot_type == "choice":
        reader.problem(f"slot {name!r} of type 'choice' needs 'choices'", key_node, intent)

    return SlotSpec(name=name, type=slot_type, required=required, prompt=prompt, choices=tuple(choices),
                    line=key_node.start_mark.line + 1)


def _read_example(reader: NodeReader, text: str, line: int, intent: str,
                  declared: dict[str, SlotSpec]) -> Example | None:
    location = SourceLocation(reader.path, line, intent)
    try:
        example = parse_example(text.strip(), line)
    except AnnotationError as exc:
        reader.problems.append(PluginError(f"broken slot mark in {text!r}: {exc}", location))
        return None
    for span in example.spans:
        if span.slot not in declared:
            reader.problems.append(PluginError(
                f"example marks slot {span.slot!r} but the intent does not declare it", location))
            return None
    if not example.text:
        reader.problems.append(PluginError("empty example", location))
        return None
    return example

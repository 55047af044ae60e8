"""The built-in plugins' manifests: valid, rich enough to train on, and free of contradictions."""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

from assistant.errors import PluginError
from assistant.plugins.manifest import read_manifest
from assistant.plugins.spec import PluginSpec

ROOT = Path(__file__).resolve().parents[1]
MANIFESTS = sorted((ROOT / "intents").glob("*/intents.yaml"))
GLOBAL_OUT_OF_SCOPE = ROOT / "assistant" / "nlu" / "out_of_scope.txt"

MIN_EXAMPLES = 30
MIN_TEMPLATES = 3



def normal(text: str) -> str:
    return " ".join(text.lower().split())


def where(spec: PluginSpec, line: int | None) -> str:
    return f"{spec.file.relative_to(ROOT)}:{line}"


@cache
def _spec(path: Path) -> PluginSpec:
    return read_manifest(path, default_name=path.parent.name)


@pytest.fixture(scope="module")
def specs() -> list[PluginSpec]:
    return [_spec(path) for path in MANIFESTS]


def test_the_built_in_manifests_are_found():
    assert len(MANIFESTS) >= 15
    assert {p.parent.name for p in MANIFESTS} >= {"timer", "clock", "note", "chat", "about"}


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.parent.name)
def test_manifest_reads_without_problems(path):
    spec = read_manifest(path, default_name=path.parent.name)
    assert spec.intents
    assert spec.description


def _intents() -> list:
    """One parameter per built-in intent (a manifest that does not read fails its own test above)."""
    params = []
    for path in MANIFESTS:
        try:
            spec = _spec(path)
        except PluginError:
            continue
        for intent in spec.intents:
            params.append(pytest.param(path, intent.name, id=intent.name))
    return params


@pytest.mark.parametrize(("path", "intent_name"), _intents())
def test_every_intent_has_enough_hand_written_examples(path, intent_name):
    intent = _spec(path).intent(intent_name)
    assert len(intent.examples) >= MIN_EXAMPLES, f"{intent_name}: only {len(intent.examples)} examples"


@pytest.mark.parametrize(("path", "intent_name"), _intents())
def test_every_intent_has_enough_templates(path, intent_name):
    intent = _spec(path).intent(intent_name)
    assert len(intent.templates) >= MIN_TEMPLATES, f"{intent_name}: only {len(intent.templates)} templates"


def test_every_required_slot_has_a_prompt(specs):
    missing = [f"{where(spec, slot.line)} {intent.name}.{slot.name}"
               for spec in specs for intent in spec.intents for slot in intent.required_slots
               if not (slot.prompt and slot.prompt.strip())]
    assert missing == []


def test_no_hand_written_example_repeats_within_or_across_intents(specs):
    seen: dict[str, list[str]] = defaultdict(list)
    for spec in specs:
        for intent in spec.intents:
            for example in intent.examples:
                seen[normal(example.text)].append(f"{where(spec, example.line)} ({intent.name})")
    repeats = {text: places for text, places in seen.items() if len(places) > 1}
    assert repeats == {}


def test_no_example_is_out_of_scope_for_another_plugin(specs):
    out_of_scope = {normal(e.text): where(spec, e.line) for spec in specs for e in spec.out_of_scope}
    clashes = [f"{where(spec, e.line)} ({intent.name}) is out of scope at {out_of_scope[normal(e.text)]}"
               for spec in specs for intent in spec.intents for e in intent.examples
               if normal(e.text) in out_of_scope]
    assert clashes == []


def test_global_out_of_scope_list_has_no_in_scope_example(specs):
    in_scope = {normal(e.text): f"{where(spec, e.line)} ({intent.name})"
                for spec in specs for intent in spec.intents for e in intent.examples}
    lines = GLOBAL_OUT_OF_SCOPE.read_text(encoding="utf-8").splitlines()
    assert len(lines) > 100
    clashes = [f"out_of_scope.txt:{number} {line!r} is an example at {in_scope[normal(line)]}"
               for number, line in enumerate(lines, 1) if normal(line) in in_scope]
    assert clashes == []

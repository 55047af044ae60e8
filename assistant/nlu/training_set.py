"""Building the training set from the installed plugins, and its fingerprint.

Hand-written examples are all used; template expansions are sampled to fill each intent up to a
budget, so an intent with a huge template space does not drown the others. Out-of-scope
examples come from the general set shipped with the core plus each plugin's near misses.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.nlu.data import LabeledUtterance
from assistant.nlu.labels import LabelSet
from assistant.plugins.spec import PluginSpec, Template
from assistant.plugins.templates import expand, parse_template
from assistant.results import OUT_OF_SCOPE

GENERAL_NEGATIVES = Path(__file__).with_name("out_of_scope.txt")
FORMAT_VERSION = 2
"""Bump when the way plugin data becomes training data changes, so old models read as stale."""


def general_negatives(path: Path = GENERAL_NEGATIVES) -> list[str]:
    if not path.is_file():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def fingerprint(specs: Sequence[PluginSpec], negatives: Sequence[str]) -> str:
    """A hash of everything that shapes the training data (not descriptions or prompts)."""
    canon = {
        "format": FORMAT_VERSION,
        "negatives": sorted(negatives),
        "plugins": sorted((_plugin_canon(s) for s in specs), key=lambda p: str(p["intents"])),
    }
    blob = json.dumps(canon, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return "sha256:" + hashlib.sha256(blob).hexdigest()


def _plugin_canon(spec: PluginSpec) -> dict[str, object]:
    return {
        "values": sorted([k, list(v)] for k, v in spec.values),
        "out_of_scope": sorted(e.text for e in spec.out_of_scope),
        "intents": sorted(
            (
                {
                    "name": i.name,
                    "slots": [[s.name, s.type, [[c, list(w)] for c, w in s.choices]] for s in i.slots],
                    "examples": sorted([e.text, [[s.slot, s.start, s.end] for s in e.spans]] for e in i.examples),
                    "templates": sorted(t.pattern for t in i.templates),
                    "values": sorted([k, list(v)] for k, v in i.values),
                }
                for i in spec.intents
            ),
            key=lambda d: str(d["name"]),
        ),
    }


@dataclass(frozen=True)
class TrainingSet:
    train: list[LabeledUtterance]
    heldout: list[LabeledUtterance]
    """Hand-written examples and negatives kept out of training, to measure generalisation."""
    labels: LabelSet
    data_hash: str
    summary: dict[str, object] = field(default_factory=dict)
    declared: list[LabeledUtterance] = field(default_factory=list)
    """The plugins' own hand-written examples (held-out ones too): the model must never refuse them."""


PUNCTUATION_VARIANTS = 0.25
"""Share of training utterances that also appear with a different closing mark (none, '?', '.', '!')."""


def build_training_set(specs: Sequence[PluginSpec], negatives: Sequence[str], per_intent: int = 300,
                       holdout: float = 0.1, seed: int = 0) -> TrainingSet:
    rng = random.Random(seed)
    train: list[LabeledUtterance] = []
    heldout: list[LabeledUtterance] = []
    intent_slots: dict[str, set[str]] = {}
    declared: list[LabeledUtterance] = []
    for spec in specs:
        for intent in spec.intents:
            intent_slots[intent.name] = {s.name for s in intent.slots}
            written = [LabeledUtterance(e.text, intent.name, e.spans) for e in intent.examples]
            declared += written
            kept, held = _split(written, holdout, rng)
            heldout += held
            train += kept
            held_texts = {u.text.lower() for u in held}
            expansions = _expansions(intent.name, intent.templates, dict(intent.values), per_intent - len(kept), rng)
            train += [u for u in expansions if u.text.lower() not in held_texts]
    negative_texts = list(dict.fromkeys([*negatives, *(e.text for s in specs for e in s.out_of_scope)]))
    kept_neg, held_neg = _split([LabeledUtterance(t, OUT_OF_SCOPE) for t in negative_texts], holdout, rng)
    train += kept_neg
    heldout += held_neg
    train += [_repunctuated(u, rng) for u in train if rng.random() < PUNCTUATION_VARIANTS]
    labels = LabelSet.build(intent_slots)
    counts = Counter(u.intent for u in train)
    summary: dict[str, object] = {
        "plugins": sorted(s.name for s in specs),
        "train_utterances": len(train),
        "heldout_utterances": len(heldout),
        "out_of_scope_train": counts[OUT_OF_SCOPE],
        "per_intent_budget": per_intent,
        "punctuation_variants": PUNCTUATION_VARIANTS,
        "seed": seed,
    }
    return TrainingSet(train, heldout, labels, fingerprint(specs, negatives), summary, declared)


def _repunctuated(item: LabeledUtterance, rng: random.Random) -> LabeledUtterance:
    """The utterance with its closing mark changed, as typed text and recognisers vary it."""
    core = item.text.rstrip(" ?.!")
    end = max((s.end for s in item.spans), default=0)
    if len(core) < end:  # a slot reaches into the closing marks: leave the text alone
        return item
    options = [mark for mark in ("", "?", ".", "!") if core + mark != item.text]
    return LabeledUtterance(core + rng.choice(options), item.intent, item.spans)


def _split(items: list[LabeledUtterance], fraction: float, rng: random.Random,
           ) -> tuple[list[LabeledUtterance], list[LabeledUtterance]]:
    if fraction <= 0 or len(items) < 5:
        return items, []
    order = list(range(len(items)))
    rng.shuffle(order)
    n_held = max(1, round(len(items) * fraction))
    held = set(order[:n_held])
    return [u for i, u in enumerate(items) if i not in held], [u for i, u in enumerate(items) if i in held]


def _expansions(intent: str, templates: Sequence[Template], lists: dict[str, tuple[str, ...]], budget: int,
                rng: random.Random) -> list[LabeledUtterance]:
    if budget <= 0 or not templates:
        return []
    out: list[LabeledUtterance] = []
    quota = max(1, budget // len(templates))
    for template in templates:
        for example in expand(parse_template(template.pattern), lists, quota, rng):
            out.append(LabeledUtterance(example.text, intent, example.spans))
    return out


def dataset_training_set(path: Path, train_split: str = "train", heldout_split: str = "valid") -> TrainingSet:
    """A public benchmark as a training set: its train split to learn from, its validation split to
    choose settings on (the threshold); the test split stays for ``assistant eval``.

    A data set declares no schema, so every intent may carry every slot: guessing one from which
    slots the training data happens to pair with each intent forbade 2.7 % of ATIS's test slots
    (76 of 2837) and cost 0.8 points of slot F1 (docs/accuracy.md)."""
    from assistant.nlu.data import intent_slots, load_labelled

    train = load_labelled(path, train_split)
    heldout = load_labelled(path, heldout_split)
    found = intent_slots([*train, *heldout])
    every = set().union(*found.values())
    labels = LabelSet.build(dict.fromkeys(found, every))
    digest = hashlib.sha256()
    for item in (*train, *heldout):
        digest.update(json.dumps([item.text, item.intent, [[s.slot, s.start, s.end] for s in item.spans]]).encode())
    summary: dict[str, object] = {"data": str(path), "train_split": train_split, "heldout_split": heldout_split,
                                  "train_utterances": len(train), "heldout_utterances": len(heldout),
                                  "out_of_scope_train": sum(u.intent == OUT_OF_SCOPE for u in train)}
    return TrainingSet(train, heldout, labels, "sha256:" + digest.hexdigest(), summary)

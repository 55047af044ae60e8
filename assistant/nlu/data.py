"""Labelled utterances and the readers for every format the assistant trains or evaluates on.

Formats: plugin manifests (``intents.yaml``), labelled YAML (intent -> annotated examples, as in
``tests/data/heldout.yaml``), BIO folders (``seq.in``/``seq.out``/``label``, as SNIPS and ATIS
ship) and the CLINC150 JSON. All become :class:`LabeledUtterance` with character spans.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import DataFormatError, PluginError
from assistant.plugins.annotations import AnnotationError, parse_example
from assistant.plugins.spec import SlotSpan
from assistant.results import OUT_OF_SCOPE


@dataclass(frozen=True)
class LabeledUtterance:
    text: str
    intent: str
    spans: tuple[SlotSpan, ...] = ()
    words: tuple[tuple[int, int], ...] | None = None
    """The data set's own word boundaries (BIO data), used to score slots per word as conlleval does."""


def bio_chunks(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """(type, first word, last word + 1) chunks, with conlleval's rules.

    A chunk starts at ``B-x``, or at ``I-x`` that does not continue a chunk of type x; it ends
    before ``O``, ``B-*`` or an ``I-`` of another type.
    """
    chunks: list[list[Any]] = []
    current: list[Any] | None = None
    for i, tag in enumerate(tags):
        kind = tag[2:] if tag[:2] in ("B-", "I-") else None
        if kind is None:
            current = None
            continue
        if tag.startswith("B-") or current is None or current[0] != kind:
            current = [kind, i, i + 1]
            chunks.append(current)
        else:
            current[2] = i + 1
    return [(str(c[0]), int(c[1]), int(c[2])) for c in chunks]


def from_words(words: Sequence[str], tags: Sequence[str], intent: str) -> LabeledUtterance:
    starts, pos = [], 0
    for word in words:
        starts.append(pos)
        pos += len(word) + 1
    bounds = tuple((s, s + len(w)) for s, w in zip(starts, words, strict=True))
    spans = tuple(SlotSpan(kind, bounds[a][0], bounds[b - 1][1]) for kind, a, b in bio_chunks(tags))
    return LabeledUtterance(" ".join(words), intent, spans, bounds)


def read_bio_folder(folder: Path) -> list[LabeledUtterance]:
    files = {name: folder / name for name in ("seq.in", "seq.out", "label")}
    missing = [name for name, path in files.items() if not path.is_file()]
    if missing:
        raise DataFormatError(f"{folder} is not a BIO folder: missing {', '.join(missing)}")
    lines = {name: path.read_text(encoding="utf-8").splitlines() for name, path in files.items()}
    if len({len(v) for v in lines.values()}) != 1:
        raise DataFormatError(f"{folder}: seq.in, seq.out and label have different numbers of lines "
                              f"({', '.join(f'{k} {len(v)}' for k, v in lines.items())})")
    out = []
    for number, (text, tags, label) in enumerate(zip(lines["seq.in"], lines["seq.out"], lines["label"],
                                                     strict=True), start=1):
        words, tag_list = text.split(), tags.split()
        if len(words) != len(tag_list):
            raise DataFormatError(f"{folder}/seq.out:{number}: {len(tag_list)} tags for {len(words)} words")
        bad = [t for t in tag_list if t != "O" and t[:2] not in ("B-", "I-")]
        if bad:
            raise DataFormatError(f"{folder}/seq.out:{number}: {bad[0]!r} is not a BIO tag")
        out.append(from_words(words, tag_list, label.strip()))
    return out


def read_clinc(path: Path, split: str) -> list[LabeledUtterance]:
    """CLINC150 JSON: ``split`` is train, val or test; its out-of-scope part becomes ``oos``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise DataFormatError(f"{path}: not JSON: {exc}") from exc
    if split not in data:
        raise DataFormatError(f"{path} has no {split!r} split (has: {', '.join(sorted(data))})")
    pairs = list(data[split]) + list(data.get(f"oos_{split}", []))
    return [LabeledUtterance(text, OUT_OF_SCOPE if label == "oos" else label) for text, label in pairs]


def read_labelled_yaml(path: Path) -> list[LabeledUtterance]:
    """``intent: [annotated example, ...]`` mappings (the held-out test set format)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DataFormatError(f"{path}: invalid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise DataFormatError(f"{path}: expected a mapping of intent names to lists of examples")
    out = []
    for intent, examples in data.items():
        if not isinstance(examples, list):
            raise DataFormatError(f"{path}: the examples of {intent!r} must be a list")
        for source in examples:
            try:
                example = parse_example(str(source))
            except AnnotationError as exc:
                raise DataFormatError(f"{path}: intent {intent}: {source!r}: {exc}") from exc
            out.append(LabeledUtterance(example.text, str(intent), example.spans))
    return out


def read_manifest_examples(path: Path) -> list[LabeledUtterance]:
    from assistant.plugins.manifest import read_manifest

    try:
        spec = read_manifest(path, default_name=path.parent.name)
    except PluginError as exc:
        raise DataFormatError(str(exc)) from exc
    out = [LabeledUtterance(e.text, i.name, e.spans) for i in spec.intents for e in i.examples]
    out += [LabeledUtterance(e.text, OUT_OF_SCOPE) for e in spec.out_of_scope]
    return out


def load_labelled(path: Path, split: str = "test") -> list[LabeledUtterance]:
    """Read any supported labelled data; for folders holding train/valid/test, pick ``split``."""
    if path.is_dir():
        if (path / "seq.in").is_file():
            return read_bio_folder(path)
        for name in _split_names(split):
            if (path / name / "seq.in").is_file():
                return read_bio_folder(path / name)
        if (path / "data_full.json").is_file():
            return read_clinc(path / "data_full.json", _clinc_split(split))
        raise DataFormatError(f"{path}: no seq.in/seq.out/label here or in a {split!r} sub-folder")
    if not path.is_file():
        raise DataFormatError(f"{path} does not exist")
    if path.suffix == ".json":
        return read_clinc(path, _clinc_split(split))
    if path.name == "intents.yaml":
        return read_manifest_examples(path)
    if path.suffix in (".yaml", ".yml"):
        return read_labelled_yaml(path)
    raise DataFormatError(f"{path}: unknown format (want a BIO folder, CLINC JSON, intents.yaml or labelled YAML)")


def _split_names(split: str) -> tuple[str, ...]:
    return {"valid": ("valid", "dev", "val"), "val": ("valid", "dev", "val"), "dev": ("dev", "valid", "val")
            }.get(split, (split,))


def _clinc_split(split: str) -> str:
    return {"valid": "val", "dev": "val"}.get(split, split)


def intent_slots(data: Iterable[LabeledUtterance]) -> dict[str, set[str]]:
    """Which slots appear with which intent (to build a label set for a foreign data set)."""
    found: dict[str, set[str]] = {}
    for utterance in data:
        found.setdefault(utterance.intent, set()).update(s.slot for s in utterance.spans)
    return found

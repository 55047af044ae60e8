"""``assistant eval DATA``: intent accuracy, slot F1 and exact match on a labelled set.

DATA is a BIO folder (seq.in/seq.out/label, or one holding train/valid/test), a CLINC150 JSON, a
plugin's intents.yaml, or a labelled YAML (intent -> annotated examples).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from assistant.nlu.data import load_labelled
from assistant.nlu.metrics import score


def register(commands: Any) -> None:
    from assistant.cli.main import add_engine_options

    parser = commands.add_parser("eval", help="score the model on a labelled data set", description=__doc__)
    parser.add_argument("data", type=Path)
    parser.add_argument("--split", default="test", help="for folders with several splits (default: test)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--errors", type=int, default=0, metavar="N", help="show the first N mistakes")
    add_engine_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from assistant.engine import choose_model
    from assistant.nlu.runtime import NluModel, SessionSettings
    from assistant.nlu.training_set import fingerprint, general_negatives
    from assistant.paths import user_plugins_dir
    from assistant.plugins.registry import PluginRegistry

    data = load_labelled(args.data, args.split)
    model_dir = args.model
    if model_dir is None:
        registry = PluginRegistry.discover(None if args.no_user_plugins else user_plugins_dir())
        model_dir = choose_model(fingerprint(registry.specs(), general_negatives()))
    model = NluModel(model_dir, SessionSettings(threads=args.threads), threshold=args.threshold)
    parses = model.parse_batch([u.text for u in data])
    scores = score(data, parses)
    if args.json:
        print(json.dumps({"data": str(args.data), "model": str(model_dir), **scores.to_json()}, indent=2))
        return 0
    print(f"{args.data} ({scores.utterances} utterances) with the model in {model_dir}")
    rows = [("intent accuracy", scores.intent_accuracy), ("slot precision", scores.slot_precision),
            ("slot recall", scores.slot_recall), ("slot F1", scores.slot_f1), ("exact match", scores.exact_match),
            ("in-scope accuracy", scores.in_scope_accuracy), ("out-of-scope recall", scores.oos_recall)]
    for name, value in rows:
        if value is not None:
            print(f"  {name:<20} {value:7.2%}")
    shown = 0
    for item, parse in zip(data, parses, strict=True):
        if shown >= args.errors:
            break
        got = {(s.name, s.raw) for s in parse.slots}
        want = {(s.slot, item.text[s.start:s.end]) for s in item.spans}
        if parse.intent.name != item.intent or got != want:
            shown += 1
            print(f"  ✗ {item.text!r}: want {item.intent} {sorted(want)}, got {parse.intent.name} {sorted(got)}")
    return 0

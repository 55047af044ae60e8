"""Validate plugin manifests and show what their templates expand to.

``python -m assistant.plugins.check intents/timer/intents.yaml [--samples 3]``
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from assistant.errors import PluginError
from assistant.plugins.manifest import read_manifest
from assistant.plugins.templates import count_expansions, expand, parse_template


def check_manifest(path: Path, samples: int, out: list[str]) -> bool:
    try:
        spec = read_manifest(path, default_name=path.parent.name)
    except PluginError as error:
        out.append(str(error))
        return False
    out.append(f"{path}: plugin {spec.name!r}, {len(spec.intents)} intents, "
               f"{len(spec.out_of_scope)} out-of-scope examples")
    rng = random.Random(0)
    for intent in spec.intents:
        lists = dict(intent.values)
        combos = sum(count_expansions(parse_template(t.pattern), lists) for t in intent.templates)
        out.append(f"  {intent.name}: {len(intent.examples)} examples, {len(intent.templates)} templates "
                   f"({combos} combinations), slots: {', '.join(s.name for s in intent.slots) or '-'}")
        for template in intent.templates[:samples] if samples else ():
            for example in expand(parse_template(template.pattern), lists, 1, rng):
                marks = ", ".join(f"{s.slot}={example.text[s.start:s.end]!r}" for s in example.spans)
                out.append(f"      {example.text}" + (f"   [{marks}]" if marks else ""))
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("manifests", nargs="+", type=Path)
    parser.add_argument("--samples", type=int, default=0, help="show expansions of the first N templates")
    args = parser.parse_args(argv)
    ok = True
    for path in args.manifests:
        lines: list[str] = []
        ok &= check_manifest(path, args.samples, lines)
        print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

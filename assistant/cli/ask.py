"""``assistant ask TEXT``: answer one request and exit."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from assistant.cli.common import open_assistant, warn_about
from assistant.serialize import turn_json


def register(commands: Any) -> None:
    from assistant.cli.main import add_engine_options

    parser = commands.add_parser("ask", help="answer one request", description=__doc__)
    parser.add_argument("text", nargs="+", help="the request (quote it, or pass the words)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--dry-run", action="store_true",
                        help="understand without acting: no handler runs, nothing is stored")
    add_engine_options(parser)
    parser.set_defaults(run=run)


def describe_understanding(turn_dict: dict[str, Any]) -> str:
    intent = turn_dict["intent"] or {"name": "-", "confidence": 0}
    parts = [f"{intent['name']} ({intent['confidence']:.2f})"]
    for slot in turn_dict["slots"]:
        parts.append(f"{slot['name']}={slot['raw']!r}" + (f" → {slot['value']}" if slot["value"] is not None else ""))
    return "  ".join(parts)


def run(args: argparse.Namespace) -> int:
    text = " ".join(args.text)
    assistant = open_assistant(args, run_scheduler=False)
    try:
        if not args.json:
            warn_about(assistant)
        turn = assistant.handle(text, dry_run=args.dry_run)
        data = turn_json(turn)
        if args.json:
            print(json.dumps(data, ensure_ascii=False))
        else:
            if turn.reply is not None:
                print(turn.reply)
            if args.dry_run:
                print(f"[dry run] {describe_understanding(data)}")
            for note in turn.notes:
                print(f"note: {note}", file=sys.stderr)
    finally:
        assistant.close()
    return 0

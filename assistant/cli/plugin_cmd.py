"""``assistant plugin new NAME`` writes a working plugin to start from; ``assistant plugin check PATH``
validates a plugin folder (manifest and handlers) and shows what its templates expand to."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from assistant.errors import PluginError
from assistant.plugins.check import check_manifest
from assistant.plugins.discovery import PluginSource
from assistant.plugins.loader import load_plugin


def register(commands: Any) -> None:
    parser = commands.add_parser("plugin", help="create or check a plugin", description=__doc__)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    new = actions.add_parser("new", help="create a plugin in your plugin folder (or --dir)")
    new.add_argument("name")
    new.add_argument("--dir", type=Path, help="where to create it (default: your plugin folder)")
    new.set_defaults(run=run_new)
    check = actions.add_parser("check", help="validate a plugin folder or intents.yaml")
    check.add_argument("path", type=Path)
    check.add_argument("--samples", type=int, default=3, help="show expansions of the first N templates")
    check.set_defaults(run=run_check)


def run_new(args: argparse.Namespace) -> int:
    from assistant.paths import user_plugins_dir
    from assistant.plugins.scaffold import create_plugin

    folder = create_plugin(args.dir or user_plugins_dir(), args.name)
    print(f"Created {folder}: intents.yaml (intents, slots, examples) and handlers.py.")
    print(f"Check it with `assistant plugin check {folder}`, then run `assistant train` so the model learns it.")
    return 0


def run_check(args: argparse.Namespace) -> int:
    folder = args.path.parent if args.path.name == "intents.yaml" else args.path
    lines: list[str] = []
    if not check_manifest(folder / "intents.yaml", args.samples, lines):
        print("\n".join(lines))
        return 1
    try:
        plugin = load_plugin(PluginSource(name=folder.name, origin="checked folder", folder=folder), fresh=True)
    except PluginError as error:
        print("\n".join([*lines, str(error)]))
        return 1
    missing = [i.name for i in plugin.spec.intents if i.name not in plugin.handlers]
    lines.append(f"handlers: {len(plugin.handlers)} of {len(plugin.spec.intents)} intents"
                 + (f" (no handler yet: {', '.join(missing)})" if missing else ""))
    print("\n".join([*lines, "OK"]))
    return 0

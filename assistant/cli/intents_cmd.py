"""``assistant intents``: what is installed, what each plugin understands, and what failed to load."""

from __future__ import annotations

import argparse
import json
from typing import Any

from assistant.plugins.discovery import entry_point_sources
from assistant.plugins.registry import PluginRegistry


def register(commands: Any) -> None:
    parser = commands.add_parser("intents", help="list installed plugins and their intents", description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-user-plugins", action="store_true")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from assistant.paths import user_plugins_dir

    registry = PluginRegistry.discover(None if args.no_user_plugins else user_plugins_dir())
    if args.json:
        print(json.dumps(_as_json(registry), indent=2, ensure_ascii=False))
        return 0 if not registry.failures else 1
    builtin = {s.name for s in entry_point_sources() if s.module and s.module.startswith("intents.")}
    for plugin in registry.plugins:
        origin = "built-in" if plugin.name in builtin and plugin.source.module else plugin.source.origin
        print(f"{plugin.name} ({origin}) — {plugin.spec.description}")
        for intent in plugin.spec.intents:
            slots = ", ".join(f"{s.name}{'*' if s.required else ''}: {s.type}" for s in intent.slots) or "no slots"
            state = "" if intent.name in plugin.handlers else "   [understood, not available yet]"
            print(f"  {intent.name:<18} {slots}{state}")
    if registry.failures:
        print("\nPlugins that failed to load (skipped):")
        for failure in registry.failures:
            print(f"  {failure.source.name} ({failure.source.origin}):")
            for line in str(failure.error).splitlines():
                print(f"    {line}")
    print(f"\n{len(registry.intents())} intents from {len(registry.plugins)} plugins; * = required slot.")
    return 0 if not registry.failures else 1


def _as_json(registry: PluginRegistry) -> dict[str, Any]:
    return {
        "plugins": [
            {"name": p.name, "origin": p.source.origin, "description": p.spec.description, "file": str(p.spec.file),
             "intents": [{"name": i.name, "description": i.description, "has_handler": i.name in p.handlers,
                          "slots": [{"name": s.name, "type": s.type, "required": s.required} for s in i.slots],
                          "examples": len(i.examples), "templates": len(i.templates)} for i in p.spec.intents]}
            for p in registry.plugins
        ],
        "failures": [{"plugin": f.source.name, "origin": f.source.origin,
                      "problems": [p.single_line() for p in f.error.problems]} for f in registry.failures],
    }

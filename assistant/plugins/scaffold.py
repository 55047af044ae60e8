"""A new plugin folder that loads, validates and answers from the first minute."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.errors import PluginError, SourceLocation

MANIFEST = '''plugin: {name}
description: {title} (describe what it does for the user).

intents:
  {name}.hello:
    description: Say hello from the {name} plugin
    slots:
      who:
        type: text
    examples:
      - say hello from {spoken}
      - greet [ada](who) from {spoken}
      - ask {spoken} to say hi to [the team](who)
    templates:
      - "(say|send) (hello|hi) [to {{who}}] from {spoken}"
    values:
      who: [ada, grace, the team, my neighbour]
'''

HANDLERS = '''"""Handlers of the {name} plugin: one function per intent, slots as keyword arguments."""

from __future__ import annotations

from assistant.plugin_api import Context, handler


@handler("{name}.hello")
def hello(ctx: Context, who: str | None) -> str:
    return f"Hello{{', ' + who if who else ''}}, from {name}!"
'''


def create_plugin(folder: Path, name: str) -> Path:
    """Write ``folder/name/{__init__.py, intents.yaml, handlers.py}``; refuses to overwrite."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise PluginError(f"plugin name {name!r} must be lower case letters, digits and '_'")
    target = folder / name
    if target.exists():
        raise PluginError("a plugin folder is already there", SourceLocation(target))
    target.mkdir(parents=True)
    spoken = name.replace("_", " ")
    (target / "__init__.py").write_text(f'"""The {spoken} plugin."""\n', encoding="utf-8")
    (target / "intents.yaml").write_text(MANIFEST.format(name=name, title=spoken.capitalize(), spoken=spoken),
                                         encoding="utf-8")
    (target / "handlers.py").write_text(HANDLERS.format(name=name), encoding="utf-8")
    return target

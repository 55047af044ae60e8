"""Finding plugins: the ``assistant.plugins`` entry-point group and the user's plugin folder.

Built-in plugins are entry points of this project, so they load exactly like third-party ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ENTRY_POINT_GROUP = "assistant.plugins"


@dataclass(frozen=True)
class PluginSource:
    """Where a plugin comes from: a module to import, or a folder to load by path."""

    name: str
    origin: str
    """'entry point <dist>' or 'user folder'."""
    module: str | None = None
    folder: Path | None = None


def entry_point_sources() -> list[PluginSource]:
    sources = []
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist.name if ep.dist is not None else "unknown package"
        sources.append(PluginSource(name=ep.name, origin=f"entry point of {dist}", module=ep.value))
    return sorted(sources, key=lambda s: s.name)


def folder_sources(folder: Path) -> list[PluginSource]:
    """Each sub-folder holding an ``intents.yaml`` is a plugin."""
    if not folder.is_dir():
        return []
    return [
        PluginSource(name=child.name, origin=f"user folder {folder}", folder=child)
        for child in sorted(folder.iterdir())
        if child.is_dir() and (child / "intents.yaml").is_file() and not child.name.startswith((".", "_"))
    ]

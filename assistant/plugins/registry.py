"""The installed plugins: which loaded, which failed and why, which are enabled."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import PluginError, SourceLocation
from assistant.plugins.discovery import PluginSource, entry_point_sources, folder_sources
from assistant.plugins.loader import BoundHandler, LoadedPlugin, load_plugin
from assistant.plugins.spec import IntentSpec, PluginSpec

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PluginFailure:
    source: PluginSource
    error: PluginError


@dataclass(frozen=True)
class IntentEntry:
    plugin: LoadedPlugin
    spec: IntentSpec
    handler: BoundHandler | None


class PluginRegistry:
    """Loads plugins from their sources; a failing plugin is reported and skipped, never fatal."""

    def __init__(self, sources: Iterable[PluginSource], disabled: Iterable[str] = ()) -> None:
        self.sources = list(sources)
        self.disabled: set[str] = set(disabled)
        self.plugins: list[LoadedPlugin] = []
        self.failures: list[PluginFailure] = []
        self._intents: dict[str, IntentEntry] = {}
        self._load(fresh=False)

    @classmethod
    def discover(cls, user_folder: Path | None, disabled: Iterable[str] = ()) -> PluginRegistry:
        sources = entry_point_sources()
        if user_folder is not None:
            sources += folder_sources(user_folder)
        return cls(sources, disabled)

    def reload(self) -> None:
        """Re-read every plugin's files and code (hot reload)."""
        self._load(fresh=True)

    def _load(self, fresh: bool) -> None:
        self.plugins, self.failures, self._intents = [], [], {}
        names: dict[str, PluginSource] = {}
        for source in self.sources:
            try:
                plugin = load_plugin(source, fresh=fresh)
                self._check_unique(plugin, names)
            except PluginError as error:
                log.warning("plugin %s (%s) skipped:\n%s", source.name, source.origin, error)
                self.failures.append(PluginFailure(source, error))
                continue
            names[plugin.name] = source
            self.plugins.append(plugin)
            for intent in plugin.spec.intents:
                self._intents[intent.name] = IntentEntry(plugin, intent, plugin.handlers.get(intent.name))

    def _check_unique(self, plugin: LoadedPlugin, names: dict[str, PluginSource]) -> None:
        if plugin.name in names:
            raise PluginError(f"another plugin named {plugin.name!r} is already loaded from "
                              f"{names[plugin.name].origin}", SourceLocation(plugin.spec.file))
        clashes = [PluginError(
            f"intent {intent.name!r} is already declared by plugin {self._intents[intent.name].plugin.name!r} "
            f"({self._intents[intent.name].plugin.spec.file}:{self._intents[intent.name].spec.line})",
            SourceLocation(plugin.spec.file, intent.line, intent.name))
            for intent in plugin.spec.intents if intent.name in self._intents]
        if clashes:
            raise PluginError(clashes[0].message, clashes[0].location, tuple(clashes))

    def specs(self) -> list[PluginSpec]:
        """Every loaded plugin's declarations, enabled or not (the model covers them all)."""
        return [p.spec for p in self.plugins]

    def enabled(self, plugin_name: str) -> bool:
        return plugin_name not in self.disabled

    def set_enabled(self, plugin_name: str, enabled: bool) -> None:
        (self.disabled.discard if enabled else self.disabled.add)(plugin_name)

    def intent(self, name: str) -> IntentEntry | None:
        return self._intents.get(name)

    def intents(self) -> list[IntentEntry]:
        return list(self._intents.values())

    def describe(self) -> list[tuple[str, str, list[str]]]:
        """What the enabled plugins can do, for ``assistant.help``."""
        return [
            (p.name, p.spec.description, [i.description or i.name for i in p.spec.intents])
            for p in self.plugins if self.enabled(p.name)
        ]

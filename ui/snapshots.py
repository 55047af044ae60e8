"""Immutable pictures of the core's state, taken on the core thread and handed to the GUI.

The GUI never reads the live ``Assistant`` (it belongs to the core thread); it gets these frozen
copies through queued signals instead, so no widget can race a request or a plugin reload.
This module is Qt-free on purpose: the snapshots are plain data and easy to test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.engine import Assistant
from assistant.nlu.modelcard import ModelCard
from assistant.plugins.spec import PluginSpec


@dataclass(frozen=True)
class SlotInfo:
    name: str
    type: str
    required: bool


@dataclass(frozen=True)
class ExampleInfo:
    text: str
    spans: tuple[tuple[str, int, int], ...] = ()
    """(slot, start, end) character spans in ``text``."""


@dataclass(frozen=True)
class IntentInfo:
    name: str
    description: str
    examples: tuple[ExampleInfo, ...]
    slots: tuple[SlotInfo, ...]
    has_handler: bool


@dataclass(frozen=True)
class PluginInfo:
    name: str
    description: str
    origin: str
    file: str
    enabled: bool
    intents: tuple[IntentInfo, ...]


@dataclass(frozen=True)
class FailureInfo:
    plugin: str
    origin: str
    file: str
    line: int | None
    intent: str | None
    message: str


@dataclass(frozen=True)
class PluginsSnapshot:
    plugins: tuple[PluginInfo, ...] = ()
    failures: tuple[FailureInfo, ...] = ()


@dataclass(frozen=True)
class ModelSnapshot:
    card: ModelCard
    directory: Path
    matches_plugins: bool
    message: str | None
    caveat: str | None = None

    @property
    def size_bytes(self) -> int:
        return sum(int(record.get("bytes", 0)) for record in self.card.files.values())


@dataclass(frozen=True)
class StatsSnapshot:
    percentiles: dict[str, tuple[float, float, int]] = field(default_factory=dict)
    """Stage -> (p50 ms, p95 ms, samples), as the core's stats recorder reports them."""


@dataclass(frozen=True)
class CoreSnapshot:
    """Everything the window shows about the core, sent once it is ready and after big changes."""

    plugins: PluginsSnapshot
    model: ModelSnapshot
    stats: StatsSnapshot


def plugins_snapshot(assistant: Assistant) -> PluginsSnapshot:
    registry = assistant.registry
    plugins = tuple(
        PluginInfo(
            name=plugin.name, description=plugin.spec.description, origin=plugin.source.origin,
            file=str(plugin.spec.file), enabled=registry.enabled(plugin.name),
            intents=tuple(
                IntentInfo(
                    name=intent.name, description=intent.description,
                    examples=tuple(ExampleInfo(e.text, tuple((s.slot, s.start, s.end) for s in e.spans))
                                   for e in intent.examples),
                    slots=tuple(SlotInfo(s.name, s.type, s.required) for s in intent.slots),
                    has_handler=intent.name in plugin.handlers,
                )
                for intent in plugin.spec.intents
            ),
        )
        for plugin in registry.plugins
    )
    failures = []
    for failure in registry.failures:
        for problem in failure.error.problems:
            location = problem.location
            failures.append(FailureInfo(
                plugin=failure.source.name, origin=failure.source.origin,
                file=str(location.file) if location else str(failure.source.folder or failure.source.module or ""),
                line=location.line if location else None, intent=location.intent if location else None,
                message=problem.message,
            ))
    return PluginsSnapshot(plugins, tuple(failures))


def model_snapshot(assistant: Assistant) -> ModelSnapshot:
    status = assistant.model_status()
    return ModelSnapshot(status.card, status.directory, status.matches_plugins, status.message, status.caveat)


def stats_snapshot(assistant: Assistant) -> StatsSnapshot:
    return StatsSnapshot(dict(assistant.stats.stage_percentiles()))


def core_snapshot(assistant: Assistant) -> CoreSnapshot:
    return CoreSnapshot(plugins_snapshot(assistant), model_snapshot(assistant), stats_snapshot(assistant))


def training_specs(assistant: Assistant) -> tuple[PluginSpec, ...]:
    """Every loaded plugin's declarations (enabled or not), exactly what ``assistant train`` uses."""
    return tuple(assistant.registry.specs())


def headline_metrics(card: ModelCard) -> dict[str, Any]:
    """The held-out figures worth a glance (intent accuracy, slot F1, exact match), if the card has them."""
    heldout = card.metrics.get("heldout")
    if not isinstance(heldout, dict):
        return {}
    return {key: heldout[key] for key in ("intent_accuracy", "slot_f1", "exact_match", "utterances")
            if key in heldout}

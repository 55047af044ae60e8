"""What a plugin declares, as parsed from its ``intents.yaml``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class SlotSpan:
    """A slot's character span inside an example's plain text."""

    slot: str
    start: int
    end: int


@dataclass(frozen=True)
class Example:
    """One training utterance: plain text plus the spans of its slots."""

    text: str
    spans: tuple[SlotSpan, ...] = ()
    line: int | None = None


@dataclass(frozen=True)
class SlotSpec:
    name: str
    type: str
    required: bool = False
    prompt: str | None = None
    """What to ask when a required slot is missing ("For how long?")."""
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """For ``choice`` slots: canonical value and the words that mean it."""
    line: int | None = None

    def choice_words(self) -> dict[str, str]:
        """Map every word that names a choice (lower case) to its canonical value."""
        words: dict[str, str] = {}
        for canonical, synonyms in self.choices:
            words[canonical.lower()] = canonical
            for synonym in synonyms:
                words[synonym.lower()] = canonical
        return words


@dataclass(frozen=True)
class Template:
    """A pattern with (alternatives|like this), [optional words] and {slot} places."""

    pattern: str
    line: int | None = None


@dataclass(frozen=True)
class IntentSpec:
    name: str
    description: str
    slots: tuple[SlotSpec, ...] = ()
    examples: tuple[Example, ...] = ()
    templates: tuple[Template, ...] = ()
    values: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Word lists for template places, keyed by slot or list name."""
    line: int | None = None

    def slot(self, name: str) -> SlotSpec | None:
        return next((s for s in self.slots if s.name == name), None)

    @property
    def required_slots(self) -> tuple[SlotSpec, ...]:
        return tuple(s for s in self.slots if s.required)


@dataclass(frozen=True)
class PluginSpec:
    name: str
    description: str
    file: Path
    intents: tuple[IntentSpec, ...] = ()
    values: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Word lists shared by all intents of the plugin."""
    out_of_scope: tuple[Example, ...] = field(default=())
    """Near-miss requests that must not trigger this plugin's intents."""

    def intent(self, name: str) -> IntentSpec | None:
        return next((i for i in self.intents if i.name == name), None)

"""The assistant: text in, a :class:`Turn` out. The one object a front end (CLI, GUI) talks to."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant import values
from assistant.dialogue import (
    MAX_ATTEMPTS,
    DialogueState,
    Fill,
    PendingRequest,
    Reask,
    Switch,
    answer_to,
    is_cancel,
)
from assistant.energy.meter import EnergyMeter
from assistant.errors import ModelError, ValueParseError
from assistant.events import AssistantEvents
from assistant.execution import run_handler
from assistant.nlu.int8_kernels import clamps_here
from assistant.nlu.modelcard import ModelCard
from assistant.nlu.runtime import NluModel, SessionSettings
from assistant.nlu.training_set import fingerprint, general_negatives
from assistant.paths import data_dir, shipped_model_dir, user_model_dir, user_plugins_dir
from assistant.plugin_api import Context
from assistant.plugins.registry import IntentEntry, PluginRegistry
from assistant.plugins.spec import SlotSpec
from assistant.results import Notification, ParseResult, Slot, Stage, StageTiming, Transcript, Turn, TurnKind
from assistant.scheduler import JobScheduler, PluginScheduler
from assistant.stats import StatsRecorder
from assistant.stats_log import StatsLog
from assistant.storage import PluginDatabases
from assistant.text_input import check
from assistant.timing import StageClock

log = logging.getLogger(__name__)

OUT_OF_SCOPE_REPLY = "Sorry, I can't help with that yet."
CANCELLED_REPLY = "Okay, never mind."
STALE_MODEL = ("The installed plugins have changed since the language model was trained, so new or changed intents "
               "may not be understood.")
RETRAIN_HINT = "Run `assistant train` to retrain it (a few minutes on the CPU)."


@dataclass(frozen=True)
class Options:
    data_dir: Path
    model_dir: Path | None = None
    """A model directory to use; by default the best match among the user's and the shipped one."""
    threads: int = 1
    threshold: float | None = None
    disabled_plugins: frozenset[str] = frozenset()
    user_plugins: bool = True
    watts_per_core: float | None = None
    """Power of one busy core for the energy estimate, when RAPL and battery are not available."""
    run_scheduler: bool = True
    """Watch for due timers in a background thread (off for one-shot commands)."""

    @classmethod
    def default(cls, **changes: Any) -> Options:
        return cls(data_dir=data_dir(), **changes)


@dataclass(frozen=True)
class ModelStatus:
    card: ModelCard
    directory: Path
    matches_plugins: bool
    caveat: str | None = None
    """Why this CPU may compute the model less well than a CPU with VNNI does (assistant.nlu.int8_kernels)."""

    @property
    def message(self) -> str | None:
        if self.matches_plugins and not self.caveat:
            return None
        stale = "" if self.matches_plugins else f"{STALE_MODEL} "
        caveat = f"{self.caveat} " if self.caveat else ""
        return stale + caveat + RETRAIN_HINT


def choose_model(current_hash: str, explicit: Path | None = None) -> Path:
    """The explicit model, else the user's or the shipped one. One trained on the installed plugins comes
    first; of two such, one whose int8 products this CPU does not clamp, so that it understands here as it
    was measured."""
    if explicit is not None:
        return explicit
    candidates = [d for d in (user_model_dir(), shipped_model_dir()) if (d / "model_card.json").is_file()]
    if not candidates:
        raise ModelError(f"no language model found in {user_model_dir()} or {shipped_model_dir()}. " + RETRAIN_HINT)
    readable = _readable_cards(candidates)
    fitting = [(d, card) for d, card in readable if card.data_hash == current_hash]
    unclamped = [d for d, card in fitting if not clamps_here(card.precision)]
    if unclamped and unclamped[0] != fitting[0][0]:
        log.info("Loading %s rather than %s: this CPU clamps the latter's full-range int8 weights",
                 unclamped[0], fitting[0][0])
    return (unclamped or [d for d, _ in fitting] or [d for d, _ in readable] or candidates)[0]


def _readable_cards(directories: list[Path]) -> list[tuple[Path, ModelCard]]:
    """Each directory with its card, leaving out the cards that cannot be read (the load reports those)."""
    cards = []
    for directory in directories:
        try:
            cards.append((directory, ModelCard.read(directory)))
        except ModelError:
            continue
    return cards


class Assistant:
    def __init__(self, registry: PluginRegistry, nlu: NluModel, options: Options,
                 now: Callable[[], datetime] | None = None) -> None:
        self.options = options
        self.registry = registry
        self.nlu = nlu
        self.events = AssistantEvents()
        self.stats = StatsRecorder()
        self.dialogue = DialogueState()
        self._now = now or (lambda: datetime.now().astimezone())
        self._databases = PluginDatabases(options.data_dir / "plugins-data")
        self._scheduler: JobScheduler | None = None
        self._negatives = general_negatives()
        self.energy = EnergyMeter.auto(watts=options.watts_per_core)
        self.stats_log = StatsLog(options.data_dir / "stats.sqlite3")

    @classmethod
    def open(cls, options: Options | None = None, now: Callable[[], datetime] | None = None) -> Assistant:
        options = options or Options.default()
        registry = PluginRegistry.discover(user_plugins_dir() if options.user_plugins else None,
                                           options.disabled_plugins)
        current = fingerprint(registry.specs(), general_negatives())
        model_dir = choose_model(current, options.model_dir)
        nlu = NluModel(model_dir, SessionSettings(threads=options.threads), threshold=options.threshold)
        assistant = cls(registry, nlu, options, now)
        if options.run_scheduler:
            assistant.scheduler.start()
        return assistant

    @property
    def scheduler(self) -> JobScheduler:
        """Opened on first use, so a dry run or a one-shot question touches no database."""
        if self._scheduler is None:
            self._scheduler = JobScheduler(self.options.data_dir / "assistant.sqlite3", self._notify)
        return self._scheduler

    def _notify(self, notification: Notification) -> None:
        self.events.notification.emit(notification)

    def model_status(self) -> ModelStatus:
        current = fingerprint(self.registry.specs(), self._negatives)
        return ModelStatus(self.nlu.card, self.nlu.directory, self.nlu.card.data_hash == current, self.nlu.caveat)

    def swap_model(self, directory: Path) -> None:
        """Load another model (e.g. freshly trained) and use it from the next request on."""
        self.nlu = NluModel(directory, SessionSettings(threads=self.options.threads), threshold=self.options.threshold)
        self.events.model_changed.emit(self.nlu.card)

    def reload_plugins(self) -> None:
        self.registry.reload()
        self.events.plugins_reloaded.emit()

    WARM_UP_SAMPLES = (("duration", "five minutes"), ("time", "half past eight"), ("date", "next friday"),
                       ("number", "two and a half"), ("percentage", "forty percent"), ("unit", "kilograms"),
                       ("expression", "12 times 7"))

    def warm_up(self) -> None:
        """Pay the one-off costs (library imports, first inference) before the user's first request.

        Front ends that stay open call this on a background thread right after opening; a one-shot
        ``assistant ask`` does not, and pays only for what its request needs.
        """
        self.nlu.parse("set a timer for five minutes")
        context = values.ValueContext(now=self._now())
        for type_name, raw in self.WARM_UP_SAMPLES:
            try:
                values.normalise(type_name, raw, context)
            except ValueParseError:  # pragma: no cover - the samples are valid
                log.warning("warm-up sample %r did not parse as %s", raw, type_name)

    def close(self) -> None:
        self.stats_log.close()
        if self._scheduler is not None:
            self._scheduler.stop()
        self._databases.close()

    # -- answering ---------------------------------------------------------------------------------

    def handle(self, text: str, *, dry_run: bool = False, stages: tuple[StageTiming, ...] = (),
               started_ns: int | None = None, transcript: Transcript | None = None) -> Turn:
        """Answer one request.

        A front end that did work before the text existed (capture, recognition) passes those
        ``stages`` and the ``perf_counter_ns`` reading where the request began, so the total covers it.
        """
        clock = StageClock(started_ns, self.energy)
        for timing in stages:
            clock.add(timing.stage, timing.ns, timing.joules)
        turn = self._answer(text, clock, dry_run)
        turn = replace(turn, timings=clock.timings(), energy=clock.energy(), transcript=transcript)
        self.stats.record(turn.timings, turn.energy)
        if not dry_run:
            self.stats_log.append(turn)
        if turn.parse is not None and not turn.parse.out_of_scope:
            self.dialogue.recent_intents.append(turn.parse.intent.name)
        self.events.turn_finished.emit(turn)
        return turn

    def _answer(self, text: str, clock: StageClock, dry_run: bool) -> Turn:
        checked = check(text)
        if checked.problem:
            return Turn(text, TurnKind.INVALID_INPUT, checked.problem, notes=checked.notes)
        pending = self.dialogue.pending
        if pending is not None and is_cancel(checked.text):
            self.dialogue.pending = None
            return Turn(text, TurnKind.CANCELLED, CANCELLED_REPLY, notes=checked.notes)
        parse = self.nlu.parse(checked.text, clock)
        notes = checked.notes
        if parse.truncated_at is not None:
            notes += (f"Your message was too long for me; I only read up to “…"
                      f"{checked.text[max(0, parse.truncated_at - 30):parse.truncated_at]}”.",)
        if pending is not None:
            with clock.measure(Stage.DECODE):
                follow = answer_to(pending, parse, self._normaliser())
            if isinstance(follow, Fill):
                self.dialogue.pending = None
                entry = self.registry.intent(pending.intent)
                shown = replace(parse, slots=(follow.slot,))
                if entry is not None:
                    return self._act(entry, shown, (*pending.slots, follow.slot), clock, dry_run, notes,
                                     intent_for_slots=pending.intent)
            elif isinstance(follow, Reask):
                return self._reask(pending, parse, follow, notes)
            else:
                assert isinstance(follow, Switch)
                self.dialogue.pending = None
        if parse.out_of_scope:
            return Turn(text, TurnKind.OUT_OF_SCOPE, OUT_OF_SCOPE_REPLY, parse, notes=notes)
        entry = self.registry.intent(parse.intent.name)
        if entry is None:
            return Turn(text, TurnKind.UNAVAILABLE,
                        f"I understood “{parse.intent.name}”, but no installed plugin handles it any more.",
                        parse, notes=notes)
        with clock.measure(Stage.DECODE):
            slots = self._normalise_slots(entry, parse)
        shown = replace(parse, slots=slots)
        return self._act(entry, shown, slots, clock, dry_run, notes)

    def _reask(self, pending: PendingRequest, parse: ParseResult, follow: Reask, notes: tuple[str, ...]) -> Turn:
        attempts = pending.attempts + 1
        if attempts > MAX_ATTEMPTS:
            self.dialogue.pending = None
            return Turn(parse.text, TurnKind.CANCELLED,
                        f"I still didn't catch the {pending.missing.name.replace('_', ' ')}, so I've dropped that "
                        "request.", parse, notes=notes)
        self.dialogue.pending = replace(pending, attempts=attempts)
        prompt = pending.missing.prompt or f"What {pending.missing.name.replace('_', ' ')}?"
        return Turn(parse.text, TurnKind.QUESTION, f"Sorry, I didn't catch that. {prompt}", parse, notes=notes,
                    intent_for_slots=pending.intent)

    def _normaliser(self) -> Callable[[SlotSpec, str], Any]:
        now = self._now()

        def normalise(spec: SlotSpec, raw: str) -> Any:
            return values.normalise(spec.type, raw, values.ValueContext(now=now, choices=spec.choice_words()))

        return normalise

    def _normalise_slots(self, entry: IntentEntry, parse: ParseResult) -> tuple[Slot, ...]:
        normalise = self._normaliser()
        slots = []
        for slot in parse.slots:
            spec = entry.spec.slot(slot.name)
            if spec is None:
                continue
            try:
                value = normalise(spec, slot.raw)
            except ValueParseError as exc:
                log.info("slot %s=%r did not parse as %s: %s", slot.name, slot.raw, spec.type, exc)
                value = None
            slots.append(replace(slot, value=value, type=spec.type))
        return tuple(slots)

    def _act(self, entry: IntentEntry, shown: ParseResult, slots: tuple[Slot, ...], clock: StageClock,
             dry_run: bool, notes: tuple[str, ...], intent_for_slots: str | None = None) -> Turn:
        text = shown.text
        known = {s.name: s for s in slots if s.value is not None}
        missing = next((s for s in entry.spec.required_slots if s.name not in known), None)
        if missing is not None:
            unreadable = next((s for s in slots if s.name == missing.name), None)
            prompt = missing.prompt or f"What {missing.name.replace('_', ' ')}?"
            if unreadable is not None:
                prompt = f"I didn't understand “{unreadable.raw}” as a {missing.type}. {prompt}"
            if not dry_run:
                self.dialogue.pending = PendingRequest(entry.spec.name, tuple(known.values()), missing)
            return Turn(text, TurnKind.QUESTION, prompt, shown, notes=notes, intent_for_slots=intent_for_slots)
        if dry_run:
            return Turn(text, TurnKind.DRY_RUN, None, shown, notes=notes, intent_for_slots=intent_for_slots)
        if not self.registry.enabled(entry.plugin.name):
            return Turn(text, TurnKind.UNAVAILABLE,
                        f"That's handled by the “{entry.plugin.name}” plugin, which is turned off.", shown, notes=notes)
        if entry.handler is None:
            what = (entry.spec.description or entry.spec.name).rstrip(".")
            return Turn(text, TurnKind.UNAVAILABLE,
                        f"I understood that you want to {what[:1].lower() + what[1:]}, but I can't do that yet.",
                        shown, notes=notes, intent_for_slots=intent_for_slots)
        context = self._context(entry, replace(shown, slots=tuple(known.values())))
        arguments = {s.name: None for s in entry.spec.slots} | {name: s.value for name, s in known.items()}
        with clock.measure(Stage.HANDLER):
            outcome = run_handler(entry.handler, context, arguments)
        kind = TurnKind.ANSWER if outcome.ok else TurnKind.FAILED
        return Turn(text, kind, outcome.reply, shown, notes=notes, intent_for_slots=intent_for_slots)

    def _context(self, entry: IntentEntry, request: ParseResult) -> Context:
        plugin = entry.plugin.name

        def notify(title: str, body: str) -> None:
            self._notify(Notification(title=title, body=body, source=plugin, when=self._now().timestamp()))

        return Context(
            plugin=plugin, request=request, now=self._now(),
            database=lambda: self._databases.get(plugin),
            scheduler=PluginScheduler(self.scheduler, plugin), notify=notify, catalog=self.registry,
            stats=self.stats, recent_intents=tuple(self.dialogue.recent_intents),
        )

"""The command grammar of the installed plugins: every sentence their intents can be said with.

Built from each intent's templates (alternatives, optional words, slot places), its hand-written
examples (slot spans generalised to the slot's values) and the spoken grammars of typed slots.
Closed-vocabulary decoding against it is what makes short commands robust; free-text slots
(notes, search queries) only know their example values, so requests outside the grammar go to
the engine's open-vocabulary fallback (see :mod:`assistant.speech.engines`).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from assistant.plugins.spec import Example, IntentSpec, PluginSpec
from assistant.plugins.templates import _Choice, _Node, _Place, _Text, parse_template
from assistant.speech.automaton import Dfa, NfaBuilder
from assistant.speech.spoken import spoken_words
from assistant.speech.type_grammars import for_type

GRAMMAR_VERSION = 1
"""Bump when the way plugins become a grammar changes, so cached grammars are rebuilt."""

OPEN_TYPES = frozenset({"text"})
"""Slot types whose values are open-ended; an intent with such a slot needs the open fallback."""


@dataclass(frozen=True)
class GrammarStats:
    sentences: int
    states: int
    arcs: int
    words: int
    build_ms: float


@dataclass(frozen=True)
class DomainGrammar:
    """The sentences recognisers should expect, as a minimal word automaton."""

    dfa: Dfa
    key: str
    """Hash of everything the grammar was built from (plugins, wake phrase, version)."""
    open_intents: tuple[str, ...] = ()
    """Intents with free-text slots: their requests may fall outside the grammar."""
    build_ms: float = 0.0
    intents: tuple[tuple[str, Dfa], ...] = ()
    """Each intent's own sentences, so a language model can weigh intents equally."""

    @property
    def vocabulary(self) -> frozenset[str]:
        return self.dfa.vocabulary()

    def stats(self) -> GrammarStats:
        return GrammarStats(self.dfa.count(), self.dfa.n_states, self.dfa.n_arcs, len(self.vocabulary),
                            round(self.build_ms, 1))

    def accepts(self, text: str) -> bool:
        return self.dfa.accepts(spoken_words(text))

    def restricted(self, known: Callable[[str], bool]) -> tuple[DomainGrammar, frozenset[str]]:
        """The grammar without words the engine cannot say (and the words dropped)."""
        dropped = frozenset(w for w in self.vocabulary if not known(w))
        if not dropped:
            return self, dropped
        dfa = _without(self.dfa, dropped)
        intents = tuple((name, _without(part, dropped)) for name, part in self.intents)
        return DomainGrammar(dfa, self.key, self.open_intents, self.build_ms, intents), dropped

    def with_prefix(self, words: Sequence[str], optional: bool = True) -> DomainGrammar:
        """The grammar with a phrase (the wake phrase) in front, optionally."""
        prefix = Dfa.phrases([list(words)] + ([[]] if optional else []))
        key = _hash({"base": self.key, "prefix": list(words), "optional": optional})
        intents = tuple((name, Dfa.concatenation([prefix, part])) for name, part in self.intents)
        return DomainGrammar(Dfa.concatenation([prefix, self.dfa]), key, self.open_intents, self.build_ms, intents)

    def fsg_transitions(self) -> tuple[int, int, list[tuple[int, int, float] | tuple[int, int, float, str]]]:
        """``(start, final, transitions)`` for a decoder's FSG: every choice in a state equally likely."""
        final = self.dfa.n_states
        transitions: list[tuple[int, int, float] | tuple[int, int, float, str]] = []
        for state, row in enumerate(self.dfa.arcs):
            is_final = state in self.dfa.finals
            probability = 1.0 / (len(row) + int(is_final))
            transitions += [(state, target, probability, word) for word, target in row]
            if is_final:
                transitions.append((state, final, probability))
        return self.dfa.start, final, transitions

    def phrase_list(self, limit: int = 20000) -> list[str]:
        """Phrases for an engine that takes a phrase list (Vosk): every sentence when there are few,
        else the grammar's unbranched word runs, which the engine loops over."""
        if self.dfa.count() <= limit:
            return [" ".join(s) for s in self.dfa.sentences() if s]
        return sorted({" ".join(run) for run in _word_runs(self.dfa)})


def _without(dfa: Dfa, words: frozenset[str]) -> Dfa:
    arcs = tuple(tuple((w, t) for w, t in row if w not in words) for row in dfa.arcs)
    return Dfa(dfa.start, dfa.finals, arcs).minimal()


def _word_runs(dfa: Dfa) -> Iterable[tuple[str, ...]]:
    """Maximal chains of arcs whose inner states have one way in, one way out and are not final."""
    indegree = [0] * dfa.n_states
    for row in dfa.arcs:
        for _, target in row:
            indegree[target] += 1

    def inner(state: int) -> bool:
        return indegree[state] == 1 and len(dfa.arcs[state]) == 1 and state not in dfa.finals

    for state, row in enumerate(dfa.arcs):
        if state != dfa.start and inner(state):
            continue  # runs start at branch points
        for first, following in row:
            run, current = [first], following
            while inner(current):
                word, current = dfa.arcs[current][0]
                run.append(word)
            yield tuple(run)


def _hash(payload: object) -> str:
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    return "sha256:" + hashlib.sha256(blob).hexdigest()[:32]


def grammar_key(specs: Sequence[PluginSpec]) -> str:
    from assistant.nlu.training_set import fingerprint

    return _hash({"version": GRAMMAR_VERSION, "plugins": fingerprint(specs, [])})


class _IntentGrammar:
    """Builds the sentences of one intent; slot sub-grammars are made once and reused."""

    def __init__(self, intent: IntentSpec, shared_values: Mapping[str, tuple[str, ...]]) -> None:
        self.intent = intent
        self.lists = {**shared_values, **dict(intent.values)}
        self._slots: dict[tuple[str, str], Dfa | None] = {}

    def slot(self, slot: str, list_name: str) -> Dfa | None:
        """The slot's words: its value list and, for typed slots, the type's spoken grammar."""
        if (slot, list_name) not in self._slots:
            parts = []
            values = self.lists.get(list_name, ())
            if values:
                parts.append(Dfa.phrases(w for w in map(spoken_words, values) if w))
            spec = self.intent.slot(slot)
            if spec is not None:
                typed = for_type(spec.type)
                if typed is not None:
                    parts.append(typed)
                if spec.choices:
                    parts.append(Dfa.phrases(spoken_words(w) for w in spec.choice_words()))
            self._slots[(slot, list_name)] = Dfa.union(parts) if parts else None
        return self._slots[(slot, list_name)]

    def add_template(self, builder: NfaBuilder, start: int, end: int, pattern: str) -> None:
        self._nodes(builder, start, end, parse_template(pattern).nodes)

    def _nodes(self, builder: NfaBuilder, start: int, end: int, nodes: Sequence[_Node]) -> None:
        current = start
        for index, node in enumerate(nodes):
            following = end if index == len(nodes) - 1 else builder.state()
            if isinstance(node, _Text):
                builder.words(current, following, spoken_words(node.text))
            elif isinstance(node, _Place):
                dfa = self.slot(node.slot, node.list_name)
                if dfa is not None:
                    builder.embed(dfa, current, following)
            elif isinstance(node, _Choice):
                for alternative in node.alternatives:
                    if alternative:
                        self._nodes(builder, current, following, alternative)
                    else:
                        builder.arc(current, following)
            current = following
        if not nodes:
            builder.arc(start, end)

    def add_example(self, builder: NfaBuilder, start: int, end: int, example: Example) -> None:
        """The example as written, and with each slot span open to all of the slot's words."""
        current, position = start, 0
        for span in sorted(example.spans, key=lambda s: s.start):
            following = builder.state()
            builder.words(current, following, spoken_words(example.text[position:span.start]))
            after = builder.state()
            said = spoken_words(example.text[span.start:span.end])
            builder.words(following, after, said)
            dfa = self.slot(span.slot, span.slot)
            if dfa is not None:
                builder.embed(dfa, following, after)
            current, position = after, span.end
        builder.words(current, end, spoken_words(example.text[position:]))


def build_grammar(specs: Sequence[PluginSpec]) -> DomainGrammar:
    """The grammar of every intent of ``specs``."""
    started = time.perf_counter()
    parts: list[tuple[str, Dfa]] = []
    open_intents: list[str] = []
    for spec in specs:
        shared = dict(spec.values)
        for intent in spec.intents:
            maker = _IntentGrammar(intent, shared)
            builder = NfaBuilder()
            start, end = builder.state(), builder.state()
            for template in intent.templates:
                maker.add_template(builder, start, end, template.pattern)
            for example in intent.examples:
                maker.add_example(builder, start, end, example)
            parts.append((intent.name, builder.determinize(start, end)))
            if any(s.type in OPEN_TYPES and not s.choices for s in intent.slots):
                open_intents.append(intent.name)
    dfa = Dfa.union(p for _, p in parts) if parts else Dfa(0, frozenset(), ((),))
    build_ms = (time.perf_counter() - started) * 1000
    return DomainGrammar(dfa, grammar_key(specs), tuple(open_intents), build_ms, tuple(parts))

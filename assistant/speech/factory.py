"""Putting the voice path together for a front end: grammar (cached), recogniser, microphone, session.

The grammar is rebuilt only when the installed plugins change: it is cached on disk under a key
that hashes everything it is built from, so the next start loads it instead of rebuilding.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from assistant.plugins.spec import PluginSpec
from assistant.speech.audio import AudioSource
from assistant.speech.automaton import Dfa
from assistant.speech.engines import EngineSettings, Recognizer, create
from assistant.speech.grammar import DomainGrammar, build_grammar, grammar_key
from assistant.speech.language_model import cache_dir
from assistant.speech.pipeline import ListeningSession, ListenSettings
from assistant.speech.spoken import spoken_words

log = logging.getLogger(__name__)


def _cache_file(key: str) -> Path:
    return cache_dir() / f"grammar-{key.rsplit(':', maxsplit=1)[-1]}.json"


def _dfa_json(dfa: Dfa) -> dict[str, object]:
    return {"start": dfa.start, "finals": sorted(dfa.finals), "arcs": [[list(a) for a in row] for row in dfa.arcs]}


def _dfa(data: Any) -> Dfa:
    arcs = tuple(tuple((str(w), int(t)) for w, t in row) for row in data["arcs"])
    return Dfa(int(data["start"]), frozenset(int(f) for f in data["finals"]), arcs)


def _save(grammar: DomainGrammar) -> None:
    path = _cache_file(grammar.key)
    payload = {"key": grammar.key, "open_intents": list(grammar.open_intents), "build_ms": grammar.build_ms,
               "dfa": _dfa_json(grammar.dfa), "intents": [[name, _dfa_json(d)] for name, d in grammar.intents]}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as handle:
            json.dump(payload, handle)
        os.replace(handle.name, path)
    except OSError as exc:  # a cache that cannot be written only costs time
        log.info("cannot cache the speech grammar in %s: %s", path, exc)


def _load(key: str) -> DomainGrammar | None:
    path = _cache_file(key)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        if payload["key"] != key:
            return None
        intents = tuple((str(name), _dfa(d)) for name, d in payload["intents"])
        return DomainGrammar(_dfa(payload["dfa"]), key, tuple(payload["open_intents"]), float(payload["build_ms"]),
                             intents)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def grammar_for(specs: Sequence[PluginSpec], use_cache: bool = True) -> DomainGrammar:
    """The command grammar of ``specs``, from the cache when the plugins are unchanged."""
    key = grammar_key(specs)
    if use_cache:
        cached = _load(key)
        if cached is not None:
            return cached
    grammar = build_grammar(specs)
    if use_cache:
        _save(grammar)
    return grammar


def recognizer_factory(settings: ListenSettings, specs: Sequence[PluginSpec] | None) -> Callable[[], Recognizer]:
    """Builds the recogniser of ``settings`` for these plugins (grammar with the wake phrase in front)."""

    def make() -> Recognizer:
        grammar = None
        if settings.use_grammar and specs is not None:
            grammar = grammar_for(specs)
            if settings.wake_phrase:
                grammar = grammar.with_prefix(spoken_words(settings.wake_phrase), optional=True)
        return create(settings.engine, EngineSettings(grammar, settings.open_fallback, settings.model))

    return make


def open_session(settings: ListenSettings, specs: Sequence[PluginSpec] | None,
                 source: Callable[[], AudioSource] | None = None) -> ListeningSession:
    """A listening session on the microphone (or ``source``); check ``state`` for UNAVAILABLE."""
    if source is None:
        from assistant.speech.capture import Microphone

        def microphone() -> AudioSource:
            return Microphone(settings.device)

        source = microphone
    return ListeningSession(source, recognizer_factory(settings, specs), settings)

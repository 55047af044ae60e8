"""A trigram language model of the command grammar, for grammars too large to search as a graph.

Sentences are sampled from each intent's grammar in equal numbers (so an intent with a huge
value space, like reminders with dates and times, does not crowd out the others), the plugins'
examples are added as said, and pocketsphinx's ARPA builder (Katz back-off, absolute discount)
turns them into a model over the grammar's vocabulary. The ARPA file is cached under the
grammar's key, so it is built once per set of plugins.
"""

from __future__ import annotations

import os
import random
import tempfile
from pathlib import Path

from assistant.paths import data_dir
from assistant.speech.grammar import DomainGrammar

SENTENCES_PER_INTENT = 1500
LM_VERSION = 1


def cache_dir() -> Path:
    return data_dir() / "cache" / "speech"


def training_sentences(grammar: DomainGrammar, per_intent: int = SENTENCES_PER_INTENT, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    sentences: list[str] = []
    parts = grammar.intents or (("all", grammar.dfa),)
    for _, dfa in parts:
        if not dfa.finals:
            continue
        if dfa.count() <= per_intent:
            sentences += [" ".join(s) for s in dfa.sentences() if s]
        else:
            sentences += [" ".join(dfa.sample(rng)) for _ in range(per_intent)]
    return [s for s in sentences if s]


def arpa_file(grammar: DomainGrammar) -> Path:
    """The ARPA model of ``grammar``, built now or taken from the cache."""
    from pocketsphinx.lm import ArpaBoLM

    path = cache_dir() / f"lm-v{LM_VERSION}-{grammar.key.split(':')[-1]}.arpa"
    if path.is_file():
        return path
    model = ArpaBoLM(text="\n".join(training_sentences(grammar)), add_start=True)
    model.compute()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp", encoding="utf-8") as handle:
        model.write(handle)
    os.replace(handle.name, path)
    return path

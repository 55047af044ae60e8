"""Completing a finite-state search that stopped inside a sentence, from the decoder's n-best list."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import pytest
import yaml

from assistant.speech.bench.rhino_context import convert
from assistant.speech.engines import EngineSettings, create
from assistant.speech.engines.pocketsphinx_engine import first_sentence
from assistant.speech.grammar import DomainGrammar, build_grammar

CONTEXT = """
expressions:
  orderDrink:
    - "[give me] [a] $size:size $coffeeDrink:coffeeDrink [please]"
    - "brew me a $coffeeDrink:coffeeDrink with @extra"
macros:
  extra: ["milk", "sugar"]
slots:
  size: ["small", "large"]
  coffeeDrink: ["latte", "mocha"]
"""


@pytest.fixture(scope="module")
def grammar() -> DomainGrammar:
    return build_grammar([convert(yaml.safe_load(textwrap.dedent(CONTEXT))).spec])


def test_the_first_whole_sentence_is_chosen(grammar):
    fragments = ["brew me a latte with", "brew me a latte", "brew me a latte with sugar", "brew me a mocha with milk"]
    assert first_sentence(fragments, grammar) == "brew me a latte with sugar"
    assert first_sentence(["", "brew me a", "give me a"], grammar) is None
    assert first_sentence(fragments, grammar, limit=2) is None


@dataclass
class _Hypothesis:
    hypstr: str


class FakeDecoder:
    """Stands in for pocketsphinx.Decoder: a best path that stopped inside a sentence, and an n-best list."""

    def __init__(self, best: str, nbest: list[str | None]) -> None:
        self.best, self.alternatives = best, nbest

    def set_cmn(self, mean: str) -> None: ...
    def start_utt(self) -> None: ...
    def process_raw(self, pcm: bytes, no_search: bool, full_utt: bool) -> None: ...
    def end_utt(self) -> None: ...

    def hyp(self) -> _Hypothesis:
        return _Hypothesis(self.best)

    def nbest(self):
        if self.alternatives == ["(no list)"]:
            return None
        if not self.alternatives:
            raise RuntimeError("no lattice")
        return (None if text is None else _Hypothesis(text) for text in self.alternatives)


def _finish(recognizer, grammar_decoder: FakeDecoder, open_decoder: FakeDecoder | None = None):
    recognizer._grammar_decoder = grammar_decoder
    recognizer._open_decoder = open_decoder
    recognizer.begin()
    recognizer.accept(b"\0\0" * 480)
    return recognizer.finish()


def test_a_fragment_is_completed_from_the_nbest_list(grammar):
    recognizer = create("pocketsphinx", EngineSettings(grammar, open_fallback=False))
    assert recognizer.search == "fsg"
    fake = FakeDecoder("brew me a latte with milk and", ["brew me a latte with milk and", "brew me a latte with milk"])
    transcript, decision = _finish(recognizer, fake)
    assert transcript.text == "brew me a latte with milk"
    assert decision.source == "grammar" and "n-best" in decision.reason


def test_a_whole_sentence_or_an_empty_lattice_is_left_alone(grammar):
    recognizer = create("pocketsphinx", EngineSettings(grammar, open_fallback=False))
    transcript, _ = _finish(recognizer, FakeDecoder("give me a large mocha", ["give me a small mocha"]))
    assert transcript.text == "give me a large mocha"
    transcript, decision = _finish(recognizer, FakeDecoder("brew me", []))
    assert transcript.text == "brew me" and "not one of its sentences" in decision.reason
    # a very short utterance: pocketsphinx's n-best iterator yields None
    transcript, _ = _finish(recognizer, FakeDecoder("brew", [None, "give me a small mocha"]))
    assert transcript.text == "brew"
    transcript, _ = _finish(recognizer, FakeDecoder("", ["(no list)"]))  # no audio at all
    assert transcript.text == ""


def test_with_an_open_vocabulary_fallback_the_fragment_goes_to_it(grammar):
    recognizer = create("pocketsphinx", EngineSettings(grammar, open_fallback=True))
    grammar_side = FakeDecoder("brew me a latte with", ["brew me a latte with milk"])
    transcript, decision = _finish(recognizer, grammar_side, FakeDecoder("remind me to call mum", []))
    assert transcript.text == "remind me to call mum" and decision.source == "open"

"""PocketSphinx: the embedded default engine; its English model and dictionary come in the wheel.

Commands are decoded against the plugins' grammar: as a finite-state grammar (the compiled form
of a JSGF grammar, minimised first) when it is small enough to search well, else as a trigram
model sampled from it (:mod:`assistant.speech.language_model`): a search graph of tens of
thousands of arcs is slow to build and, on the built-in plugins, less accurate than the n-gram
over the same sentences. The open-vocabulary fallback is a second decoder on the
bundled general English trigram model, fed the same audio; its result replaces the grammar's when
the grammar search found no sentence for the audio. (Comparing the two decodings' acoustic
scores was tried and does not separate in-grammar from out-of-grammar requests with this model.)

A finite-state search that ends between sentences (noise over the last words leaves the best path
inside a sentence, "… with milk and") is completed from its n-best list: the best-scoring
hypothesis that is a whole sentence. Without that the understanding gets a dangling fragment;
with an open-vocabulary fallback the fragment still goes to it instead, since a completed
grammar path would also claim requests the grammar does not cover.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from assistant.errors import SpeechError
from assistant.results import Transcript
from assistant.speech.audio import SAMPLE_BYTES, SAMPLE_RATE
from assistant.speech.engines import Decision, EngineSettings
from assistant.speech.engines.cepstral_mean import CepstralMeanEstimator
from assistant.speech.grammar import DomainGrammar

log = logging.getLogger(__name__)

NAME = "pocketsphinx"
EN_US_CMN_INIT = "41.00,-5.29,-0.12,5.09,2.48,-4.07,-1.37,-1.78,-5.08,-2.05,-6.45,-1.42,1.17"
"""Initial cepstral mean of the en-us acoustic model, as published with it upstream (its older
``feat.params``): the fallback when an utterance is too short to measure its own."""
DECODER_OPTIONS: dict[str, Any] = {"cmn": "live", "cmninit": EN_US_CMN_INIT, "loglevel": "FATAL"}
CMN_WINDOW_S = 2.0
"""Speech measured for the utterance's cepstral mean (:mod:`.cepstral_mean`) before decoding starts."""
FSG_MAX_ARCS = 5000
"""Grammars with more arcs are decoded with their n-gram model instead of as a graph."""
NBEST_LIMIT = 100
"""Hypotheses searched for a whole sentence when the best path is not one (a few ms at most)."""


def first_sentence(hypotheses: Iterable[str], grammar: DomainGrammar, limit: int = NBEST_LIMIT) -> str | None:
    """The first of ``hypotheses`` (best first) that is one of the grammar's sentences."""
    return next((text for text in islice(hypotheses, limit) if text and grammar.accepts(text)), None)


def _texts(nbest: Iterable[Any] | None) -> Iterator[str]:
    """The n-best hypotheses' words, up to the first empty entry (a very short utterance yields None;
    no audio at all gives no list)."""
    for hypothesis in nbest or ():
        if hypothesis is None:
            return
        yield hypothesis.hypstr


def unavailable_reason() -> str | None:
    try:
        import pocketsphinx  # noqa: F401
    except ImportError:
        return "PocketSphinx is not installed: pip install pocketsphinx"
    return None


def _decoder(**options: Any) -> Any:
    from pocketsphinx import Decoder

    try:
        return Decoder(**DECODER_OPTIONS, **options)
    except (RuntimeError, ValueError) as exc:
        raise SpeechError(f"PocketSphinx could not start: {exc}") from exc


class PocketSphinxRecognizer:
    name = NAME

    def __init__(self, settings: EngineSettings) -> None:
        self.settings = settings
        self.grammar: DomainGrammar | None = None
        self.search = "open"
        self._grammar_decoder: Any = None
        notes: list[str] = []
        if settings.grammar is not None:
            self._grammar_decoder = _decoder(lm=None)
            lookup = self._grammar_decoder.lookup_word
            self.grammar, dropped = settings.grammar.restricted(lambda word: lookup(word) is not None)
            if dropped:
                shown = sorted(dropped)
                notes.append(f"{len(shown)} words of the plugins are not in the PocketSphinx dictionary and cannot "
                             f"be heard: {', '.join(shown[:10])}{' …' if len(shown) > 10 else ''}")
            if not self.grammar.dfa.finals:
                raise SpeechError("no sentence of the installed plugins can be said with the PocketSphinx "
                                  "dictionary")
            self.search = "fsg" if self.grammar.dfa.n_arcs <= FSG_MAX_ARCS else "ngram"
            if self.search == "fsg":
                start, final, transitions = self.grammar.fsg_transitions()
                fsg = self._grammar_decoder.create_fsg("commands", start, final, transitions)
                self._grammar_decoder.add_fsg("commands", fsg)
            else:
                from pocketsphinx import NGramModel

                from assistant.speech.language_model import arpa_file

                decoder = self._grammar_decoder
                model = NGramModel(decoder.config, decoder.logmath, str(arpa_file(self.grammar)))
                decoder.add_lm("commands", model)
            self._grammar_decoder.activate_search("commands")
        self._open_decoder = _decoder() if settings.wants_open() else None
        self.notes = tuple(notes)
        self._samples = 0
        self._cmn = CepstralMeanEstimator(CMN_WINDOW_S)
        self._decoding = False

    def _decoders(self) -> list[Any]:
        return [d for d in (self._grammar_decoder, self._open_decoder) if d is not None]

    def begin(self) -> None:
        self._samples = 0
        self._cmn.reset()
        self._decoding = False

    def _start_decoding(self) -> None:
        """Start from the measured cepstral mean and decode the audio held back so far."""
        mean = self._cmn.estimate() or EN_US_CMN_INIT
        for decoder in self._decoders():
            decoder.set_cmn(mean)
            decoder.start_utt()
            if self._cmn.buffer:
                decoder.process_raw(bytes(self._cmn.buffer), False, False)
        self._cmn.reset()
        self._decoding = True

    def accept(self, pcm: bytes) -> None:
        self._samples += len(pcm) // SAMPLE_BYTES
        if not self._decoding:
            if self._cmn.add(pcm):
                self._start_decoding()
            return
        for decoder in self._decoders():
            decoder.process_raw(pcm, False, False)

    def partial(self) -> str:
        if not self._decoding:
            return ""
        decoder = self._grammar_decoder or self._open_decoder
        if decoder is None:
            return ""
        hypothesis = decoder.hyp()
        return hypothesis.hypstr if hypothesis is not None else ""

    def finish(self) -> tuple[Transcript, Decision]:
        if not self._decoding:
            self._start_decoding()
        for decoder in self._decoders():
            decoder.end_utt()
        self._decoding = False
        audio_s = self._samples / SAMPLE_RATE
        decision = self._decide()
        text = (decision.grammar_text if decision.source == "grammar" else decision.open_text) or ""
        return Transcript(text=text, engine=NAME, audio_s=round(audio_s, 3)), decision

    def _completed(self, text: str) -> str | None:
        """A whole sentence from the n-best list when the best path stopped inside one (see the module doc)."""
        if self.search != "fsg" or self._open_decoder is not None or self.grammar is None:
            return None
        if self.grammar.accepts(text):
            return None
        try:
            return first_sentence(_texts(self._grammar_decoder.nbest()), self.grammar)
        except RuntimeError:  # no lattice (nothing was decoded)
            return None

    def _decide(self) -> Decision:
        grammar_text = open_text = None
        completed = None
        if self._grammar_decoder is not None:
            hypothesis = self._grammar_decoder.hyp()
            grammar_text = hypothesis.hypstr if hypothesis is not None else ""
            completed = self._completed(grammar_text)
        if completed is not None:
            return Decision("grammar", "grammar (a whole sentence from the n-best list)", completed, None)
        if self._open_decoder is not None:
            hypothesis = self._open_decoder.hyp()
            open_text = hypothesis.hypstr if hypothesis is not None else ""
        if self._grammar_decoder is None or self.grammar is None:
            return Decision("open", "no grammar", None, open_text)
        complete = bool(grammar_text) and self.grammar.accepts(grammar_text or "")
        if self._open_decoder is None:
            reason = "grammar" if complete else "grammar (the words are not one of its sentences)"
            return Decision("grammar", reason, grammar_text, None)
        if not grammar_text or (not complete and self.search == "fsg"):
            return Decision("open", "the audio does not fit the grammar", grammar_text, open_text)
        return Decision("grammar", "grammar" if complete else "grammar's n-gram (near one of its sentences)",
                        grammar_text, open_text)

    def close(self) -> None:
        self._grammar_decoder = self._open_decoder = None

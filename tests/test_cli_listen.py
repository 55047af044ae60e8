"""`assistant listen`'s conversation loop with a stand-in voice session: which utterances get answered."""

from __future__ import annotations

import argparse

from assistant.cli import listen
from assistant.results import Transcript
from assistant.speech.engines import Decision
from assistant.speech.pipeline import Utterance
from assistant.speech.session import VoiceEvents


def heard(text: str) -> Utterance:
    return Utterance(Transcript(text=text, engine="test", audio_s=1.0), Decision("grammar", "test"), 0, ())


class FakeSession:
    """Says the given utterances as soon as listening starts."""

    def __init__(self, said: list[Utterance]) -> None:
        self.events = VoiceEvents()
        self.said = said

    def start(self) -> None:
        for utterance in self.said:
            self.events.utterance.emit(utterance)

    def stop(self) -> None: ...


def args(**changes) -> argparse.Namespace:
    base = dict(engine="pocketsphinx", push_to_talk=False, device=None, wake=None, end_silence_ms=360,
                no_grammar=False, open_fallback="auto", once=True, json=True, timeout=5.0, dry_run=True)
    return argparse.Namespace(**{**base, **changes})


def test_hands_free_skips_utterances_without_words(monkeypatch):
    answered: list[str] = []
    monkeypatch.setattr(listen, "answer", lambda assistant, utterance, a: answered.append(utterance.transcript.text))
    session = FakeSession([heard(""), heard("   "), heard("set a timer for five minutes")])
    assert listen._converse(None, session, args()) == 0
    assert answered == ["set a timer for five minutes"]


def test_hands_free_with_only_noise_times_out(monkeypatch, capsys):
    monkeypatch.setattr(listen, "answer", lambda *a: None)
    assert listen._converse(None, FakeSession([heard("")]), args(timeout=0.2)) == 1
    assert "heard no request" in capsys.readouterr().err


def test_push_to_talk_answers_even_an_empty_utterance(monkeypatch):
    """The button was pressed on purpose: an empty result is still reported, not silently dropped."""
    answered: list[str] = []
    monkeypatch.setattr(listen, "answer", lambda assistant, utterance, a: answered.append(utterance.transcript.text))
    monkeypatch.setattr("builtins.input", lambda *a: "")
    assert listen._converse(None, FakeSession([heard("")]), args(push_to_talk=True)) == 0
    assert answered == [""]

"""Pieces of `assistant bench speech`: the benchmark's noise mixing, acceptance scoring, the coffee grammar."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.speech.bench.noise import max_frame_energy, mix
from assistant.speech.bench.scoring import judge

SHARED = Path(__file__).resolve().parents[2] / "shared" / "bench" / "speech-to-intent"


def test_noise_is_mixed_at_the_peak_frame_energy_ratio():
    rng = np.random.default_rng(1)
    speech = np.zeros(16000)
    speech[4000:8000] = 0.5 * np.sin(np.arange(4000) * 0.1)
    noise = rng.normal(0, 0.1, 64000)
    mixed = mix(speech, noise, 6.0, np.random.default_rng(0)).astype(np.float64) / 32767
    start = int(np.random.default_rng(0).integers(0, noise.size - speech.size))  # the offset mix() drew
    segment = noise[start:start + speech.size]
    (gain, noise_gain), *_ = np.linalg.lstsq(np.stack([speech, segment], axis=1), mixed, rcond=None)
    ratio = 10 * np.log10(max_frame_energy(gain * speech) / max_frame_energy(noise_gain * segment))
    assert ratio == pytest.approx(6.0, abs=0.05)
    assert np.abs(mixed).max() == pytest.approx(0.5, abs=1e-3)  # normalised to half of full scale


def test_acceptance_follows_the_benchmark_rule():
    label = {"coffeeDrink": "latte", "milkAmount": " soy milk"}
    assert judge("orderDrink", label, "orderDrink", {"coffeeDrink": "Latte", "milkAmount": "soy  milk"}).accepted
    extra = judge("orderDrink", label, "orderDrink", {"coffeeDrink": "latte", "milkAmount": "soy milk",
                                                      "size": "small"})
    assert extra.accepted and not extra.strict
    wrong = judge("orderDrink", label, "orderDrink", {"coffeeDrink": "mocha", "milkAmount": "soy milk"})
    assert not wrong.accepted and wrong.wrong == ("coffeeDrink",)
    assert judge("orderDrink", label, None, {}).wrong == ("intent",)


@pytest.mark.needs_shared
def test_the_coffee_grammar_comes_from_the_rhino_context_alone():
    if not (SHARED / "coffee_maker.yaml").is_file():
        pytest.skip("../shared/bench/speech-to-intent is not present (benchmark data lives outside the project)")
    from assistant.speech.bench.rhino_context import read_context
    from assistant.speech.grammar import build_grammar

    context = read_context(SHARED / "coffee_maker.yaml")
    grammar = build_grammar([context.spec])
    assert grammar.accepts("can i get a large dark roast double shot latte with a bit of soy milk and some sugar")
    assert grammar.accepts("brew an iced coffee")
    assert grammar.stats().states < 200  # minimised: 80 expressions share almost all of their words
    assert set(context.slot_names) == {"size", "roast", "numberOfShots", "coffeeDrink", "milkAmount", "sugarAmount"}


def test_decoder_options_to_try_are_parsed_and_change_the_cache_key(monkeypatch):
    import argparse

    from assistant.speech.engines import pocketsphinx_engine
    from benchmarks import speech

    monkeypatch.setattr(pocketsphinx_engine, "DECODER_OPTIONS", dict(pocketsphinx_engine.DECODER_OPTIONS))
    assert speech._option("beam=1e-60") == ("beam", 1e-60)
    assert speech._option("topn=8") == ("topn", 8)
    assert speech._option("remove_noise=yes") == ("remove_noise", True)
    assert speech._option("dict=/tmp/x.dict") == ("dict", "/tmp/x.dict")
    with pytest.raises(argparse.ArgumentTypeError, match="NAME=VALUE"):
        speech._option("beam")
    before = speech.engine_fingerprint()
    speech._use_decoder_options({"beam": 1e-60})
    assert speech.engine_fingerprint() != before
    assert speech._arguments(["--decoder-option", "beam=1e-60", "--decoder-option", "topn=8"]).decoder_option == [
        ("beam", 1e-60), ("topn", 8)]


@pytest.mark.skipif(shutil.which("espeak-ng") is None,
                    reason="espeak-ng is not installed (sudo apt-get install espeak-ng)")
def test_variants_transcribe_a_small_benchmark_folder(tmp_path, monkeypatch):
    """The whole clip, or (hands-free) only what the endpointer cuts; each cached under its own key."""
    import soundfile

    from assistant.speech.audio import read_audio
    from benchmarks import speech
    from tests.test_speech_recognition import speak

    data = tmp_path / "bench"
    (data / "speech").mkdir(parents=True)
    (data / "noise").mkdir()
    (data / "coffee_maker.yaml").write_text(
        "context:\n  expressions:\n    orderDrink:\n      - \"give me a $size:size $coffeeDrink:coffeeDrink\"\n"
        "  slots:\n    size: [small, large]\n    coffeeDrink: [latte, mocha]\n")
    spoken = read_audio(speak("give me a large latte", tmp_path / "espeak.wav"))  # 22.05 kHz, read as 16 kHz
    soundfile.write(str(data / "speech" / "one.wav"), spoken, 16000)
    soundfile.write(str(data / "noise" / "kitchen.flac"), np.random.default_rng(0).normal(0, 0.01, 32000), 16000)
    (data / "label.json").write_text('{"one.wav": {"intent": "orderDrink", "slots": {"size": "large"}}}')
    monkeypatch.setattr(speech, "CACHE", tmp_path / "cache")
    whole = speech.recognise_condition("pocketsphinx", "clean", data, None)
    cut = speech.recognise_condition("pocketsphinx-hands-free", "clean", data, None)
    assert [r["text"] for r in whole["records"]] == ["give me a large latte"]
    assert [r["text"] for r in cut["records"]] == ["give me a large latte"]
    assert 0 < cut["records"][0]["audio_s"] < whole["records"][0]["audio_s"]  # silence after the words is cut
    assert len(list((tmp_path / "cache" / "runs").iterdir())) == 2

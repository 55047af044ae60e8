"""Recognition through the real engines and the real audio path (espeak-ng speech, the virtual microphone).

Speech is synthesised with espeak-ng's Klatt voice: PocketSphinx's acoustic model, trained on real
voices, hears espeak's default formant voice poorly but the Klatt synthesiser reliably.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.test_cli import run

ROOT = Path(__file__).resolve().parents[1]
VIRTUAL_MIC = ROOT.parent / "shared" / "tools" / "virtual-mic"
VOICE = ["-v", "en-us+klatt4", "-s", "140"]

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None,
                                  reason="espeak-ng is not installed (sudo apt-get install espeak-ng)")


def speak(text: str, path: Path) -> Path:
    subprocess.run(["espeak-ng", *VOICE, "-w", str(path), text], check=True)
    return path


@needs_espeak
def test_pocketsphinx_recognises_a_command_against_the_plugin_grammar(tmp_path):
    from assistant.plugins.registry import PluginRegistry
    from assistant.speech.audio import read_audio
    from assistant.speech.decode import recognise
    from assistant.speech.engines import EngineSettings, create
    from assistant.speech.grammar import build_grammar

    specs = [s for s in PluginRegistry.discover(None).specs() if s.name in ("timer", "clock")]
    recognizer = create("pocketsphinx", EngineSettings(build_grammar(specs), open_fallback=False))
    result = recognise(recognizer, read_audio(speak("set a timer for five minutes", tmp_path / "a.wav")))
    assert result.transcript.text == "set a timer for five minutes"
    assert result.decision.source == "grammar"
    assert 0 < result.real_time_factor < 1


@needs_espeak
def test_transcribe_answers_like_ask(home, tmp_path):
    audio = speak("what time is it", tmp_path / "time.wav")
    result = run(home, "transcribe", str(audio), "--json", "--dry-run")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["intent"]["name"] == "clock.time" and data["kind"] == "dry_run"
    assert data["transcript"]["text"] == "what time is it" and data["transcript"]["engine"] == "pocketsphinx"
    assert data["timings_ms"]["recognition"] > 0 and data["timings_ms"]["total"] >= data["timings_ms"]["recognition"]


@pytest.mark.needs_shared
@needs_espeak
def test_listen_once_through_the_virtual_microphone(home, tmp_path, monkeypatch):
    if not VIRTUAL_MIC.is_file():
        pytest.skip("../shared/tools/virtual-mic is not present (test tools live outside the project)")
    if shutil.which("sox") is None:
        pytest.skip("sox is not installed (sudo apt-get install sox)")
    audio = speak("set a timer for five minutes", tmp_path / "timer.wav")
    (tmp_path / "mic").mkdir()
    line = subprocess.run([str(VIRTUAL_MIC), str(audio), str(tmp_path / "mic" / "asound.conf")], check=True,
                          capture_output=True, text=True).stdout
    variable, value = line.strip().removeprefix("export ").split("=", 1)
    monkeypatch.setenv(variable, value)  # the default capture device now plays the file
    result = run(home, "listen", "--once", "--json", timeout=180)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["intent"]["name"] == "timer.start", data
    duration = next(s for s in data["slots"] if s["name"] == "duration")
    assert duration["value"] == 300
    assert data["transcript"]["text"] == "set a timer for five minutes"
    assert {"audio", "recognition", "total"} <= set(data["timings_ms"])


VOSK_MISSING = "no Vosk model is installed here (`assistant models download vosk-small-en` needs alphacephei.com)"


@pytest.fixture
def vosk_model():
    from assistant.speech.models import find_model

    model = find_model("vosk")
    if model is None:
        pytest.skip(VOSK_MISSING)
    return model


@needs_espeak
def test_vosk_recognises_a_command_against_the_plugin_grammar(tmp_path, vosk_model):
    from assistant.plugins.registry import PluginRegistry
    from assistant.speech.audio import read_audio
    from assistant.speech.decode import recognise
    from assistant.speech.engines import EngineSettings, create
    from assistant.speech.grammar import build_grammar

    specs = [s for s in PluginRegistry.discover(None).specs() if s.name in ("timer", "note")]
    recognizer = create("vosk", EngineSettings(build_grammar(specs), model=vosk_model))
    result = recognise(recognizer, read_audio(speak("set a timer for five minutes", tmp_path / "a.wav")))
    assert result.transcript.text == "set a timer for five minutes"
    free = recognise(recognizer, read_audio(speak("take a note the plumber comes on thursday", tmp_path / "b.wav")))
    assert "plumber" in free.transcript.text


@needs_espeak
def test_vosk_listen_json(home, tmp_path, vosk_model):
    audio = speak("what time is it", tmp_path / "time.wav")
    result = run(home, "transcribe", str(audio), "--json", "--dry-run", "--engine", "vosk")
    assert json.loads(result.stdout)["intent"]["name"] == "clock.time"

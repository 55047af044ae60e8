"""The model page: the model card, the "plugins changed" banner, and Retrain with progress, cancel and swap."""

from __future__ import annotations

import argparse
import shutil
import threading
from dataclasses import replace
from pathlib import Path

import pytest

pytest.importorskip("PySide6", reason="the window needs PySide6")

from PySide6.QtCore import Qt

from assistant.cli.train_cmd import config_from_args, register
from assistant.engine import STALE_MODEL
from assistant.errors import TrainingError
from assistant.nlu.modelcard import ModelCard
from assistant.nlu.training_set import TrainingSet
from assistant.plugins.spec import Example, IntentSpec, PluginSpec, SlotSpan, SlotSpec
from assistant.training.config import TrainConfig
from assistant.training.progress import Progress
from tests.ui_support import ask, open_window
from ui.retrain import ProgressTracker, retrain_command, retrain_config
from ui.train_process import RetrainCancelled, TrainedModel, train_in_subprocess, training_data

GREENHOUSE = """\
plugin: greenhouse
description: Looks after the plants.
intents:
  greenhouse.water:
    description: Water the plants
    examples:
      - water the plants
      - please water the tomatoes
      - give the plants some water
"""


class FakeRunner:
    """Stands in for the training process: reports progress, honours cancel, writes a model that fits."""

    def __init__(self, shipped: Path, wait_for_cancel: bool = False, error: str | None = None) -> None:
        self.shipped = shipped
        self.wait_for_cancel = wait_for_cancel
        self.error = error
        self.jobs: list[tuple[TrainingSet, TrainConfig, str]] = []
        self.thread: threading.Thread | None = None

    def __call__(self, specs, config, command, progress, cancel) -> TrainedModel:
        self.thread = threading.current_thread()
        data = training_data(specs, config)
        self.jobs.append((data, config, command))
        for step in range(1, 6):
            progress(Progress("student", 1, config.epochs, step, 10, 0.5, step * 2.0))
        if self.error:
            raise TrainingError(self.error)
        if self.wait_for_cancel:
            assert cancel.wait(10), "the test should have cancelled"
            raise RetrainCancelled("training cancelled")
        shutil.copytree(self.shipped, config.output, dirs_exist_ok=True)
        card = replace(ModelCard.read(self.shipped), data_hash=data.data_hash, command=command)
        card.write(config.output)
        return TrainedModel(card, config.output)


@pytest.fixture
def shipped():
    from tests.conftest import SHIPPED_MODEL

    return SHIPPED_MODEL


@pytest.fixture
def changed_plugins(write_plugin):
    write_plugin(GREENHOUSE, name="greenhouse", folder="home/plugins")


def test_the_model_card_is_shown(qtbot, home, shipped):
    window = open_window(qtbot, home)
    page = window.model_page
    card = ModelCard.read(shipped)
    assert page.fields["data_hash"].toolTip() == card.data_hash
    assert page.fields["directory"].text() == str(shipped)
    assert page.fields["size"].text().endswith(" MB")
    assert page.fields["intent_accuracy"].text().endswith("%")
    assert page.fields["intents"].text().startswith(f"{len(card.labels.intents) - 1}: ")
    fits = page.model.matches_plugins  # (test_shipped_model checks that it does)
    assert ("trained on the installed plugins" in page.banner_text.text()) == fits
    assert page.banner_retrain.isVisibleTo(page) == (not fits)


def test_retrain_trains_off_the_gui_thread_and_swaps_the_model_in(qtbot, home, shipped, changed_plugins):
    runner = FakeRunner(shipped)
    window = open_window(qtbot, home, runner=runner, user_plugins=True)
    page = window.model_page
    assert page.banner_text.text().startswith(STALE_MODEL)  # the same sentence as the terminal chat's
    assert page.banner_retrain.isVisibleTo(page)
    progress = []
    window.retrain.progress.connect(progress.append)
    with qtbot.waitSignal(window.bridge.model_changed, timeout=20_000) as swapped:
        qtbot.mouseClick(page.banner_retrain, Qt.MouseButton.LeftButton)
    data, config, command = runner.jobs[0]
    assert runner.thread is not threading.main_thread()
    assert config == TrainConfig(output=home / "model")  # the full recipe, into the user's model folder
    assert command.startswith("assistant train")
    assert {u.intent for u in data.train} >= {"greenhouse.water", "timer.start", "oos"}
    assert len(progress) == 5
    assert swapped.args[0].matches_plugins and swapped.args[0].directory == home / "model"
    assert "trained on the installed plugins" in page.banner_text.text()
    assert not page.banner_retrain.isVisibleTo(page)
    assert page.progress.value() == page.progress.maximum()
    assert "The new model is in use" in page.eta.text()
    assert "Swapping in the new model." in page.log.toPlainText()
    assert page.retrain_button.isEnabled() and not page.cancel_button.isEnabled()
    assert ask(qtbot, window, "what time is it").reply  # the swapped-in model answers


def test_cancel_keeps_the_previous_model(qtbot, home, shipped, changed_plugins):
    runner = FakeRunner(shipped, wait_for_cancel=True)
    window = open_window(qtbot, home, runner=runner, user_plugins=True)
    page = window.model_page
    with qtbot.waitSignal(window.retrain.progress, timeout=10_000):
        qtbot.mouseClick(page.retrain_button, Qt.MouseButton.LeftButton)
    assert page.cancel_button.isEnabled() and not page.retrain_button.isEnabled()
    qtbot.waitUntil(lambda: page.progress.value() > 0, timeout=5000)
    assert "about" in page.eta.text() and "left" in page.eta.text()
    with qtbot.waitSignal(window.retrain.cancelled, timeout=10_000):
        qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    assert "cancelled" in page.eta.text()
    assert page.model.directory == shipped and not page.model.matches_plugins
    assert not (home / "model").exists()


def test_a_failed_training_is_reported(qtbot, home, shipped):
    window = open_window(qtbot, home, runner=FakeRunner(shipped, error="out of memory\ndetails"))
    with qtbot.waitSignal(window.retrain.failed, timeout=10_000):
        window.model_page.retrain()
    assert window.model_page.eta.text() == "Training failed: out of memory"
    assert "details" in window.model_page.log.toPlainText()


def test_progress_tracker_combines_phases_into_one_bar_and_eta():
    tracker = ProgressTracker(TrainConfig(output=Path("m"), teacher_epochs=4, epochs=14, final_epochs=1))
    tracker.update(Progress("teacher", 2, 4, 50, 100, 1.0, elapsed_s=40.0))
    assert tracker.fraction == pytest.approx(2 / 19)
    assert tracker.eta_s == pytest.approx(40 + 20 * 15)  # rest of the teacher, then 15 epochs at 20 s each
    tracker.update(Progress("final", 1, 1, 10, 10, 0.2, elapsed_s=20.0))
    assert tracker.fraction == pytest.approx(1.0)
    assert "epoch 1 of 1" in tracker.describe(Progress("final", 1, 1, 10, 10, 0.2, 20.0))


def test_quick_retrain_is_opt_in():
    assert retrain_config(Path("m")) == TrainConfig(output=Path("m"))
    quick = retrain_config(Path("m"), quick=True)
    assert quick.teacher is None and quick.epochs < TrainConfig(output=Path("m")).epochs
    assert retrain_config(Path("m")).fits_groups and not quick.fits_groups  # quick: nothing slow before training
    assert "--no-fit-groups" in retrain_command(quick=True) and "fit" not in retrain_command(quick=False)


@pytest.mark.parametrize("quick", [False, True])
def test_recorded_command_line_trains_the_same_recipe(quick):
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    words = retrain_command(quick).removesuffix(" (started from the window)").split()
    assert words[:2] == ["assistant", "train"]
    assert config_from_args(parser.parse_args(words[1:]), Path("m")) == retrain_config(Path("m"), quick)


def tiny_specs() -> tuple[PluginSpec, ...]:
    text = "set a timer for five minutes"
    timer = IntentSpec("timer.start", "Start a timer", slots=(SlotSpec("duration", "duration"),),
                       examples=(Example(text, (SlotSpan("duration", 16, 28),)),
                                 Example("start a timer for an hour", (SlotSpan("duration", 18, 25),))))
    clock = IntentSpec("clock.time", "The time", examples=(Example("what time is it"), Example("tell me the time")))
    return (PluginSpec("tiny", "Tiny plugin", Path("tiny/intents.yaml"), (timer, clock)),)


def tiny_config(tmp_path: Path, **changes) -> TrainConfig:
    base = dict(output=tmp_path / "model", init="scratch", teacher=None, layers=1, hidden=32, heads=4,
                intermediate=64, vocab_size=500, max_tokens=32, epochs=1, batch_size=32, per_intent=10,
                final_epochs=0, holdout=0.0, threshold=0.5, quantize=False, threads=1)
    return TrainConfig(**{**base, **changes})


@pytest.mark.slow
def test_the_training_process_reports_progress_and_returns_the_card(tmp_path):
    pytest.importorskip("torch", reason="training needs the train extra")
    seen = []
    specs = tiny_specs()
    result = train_in_subprocess(specs, tiny_config(tmp_path), "test", seen.append, threading.Event())
    assert result.card.data_hash == training_data(specs, tiny_config(tmp_path)).data_hash
    assert result.directory == tmp_path / "model" and (tmp_path / "model" / "model.onnx").is_file()
    assert seen[0].phase == "data" and seen[0].message.startswith("Training on ")
    assert any(p.phase == "student" and p.steps for p in seen)


@pytest.mark.slow
def test_the_training_process_can_be_cancelled(tmp_path):
    pytest.importorskip("torch", reason="training needs the train extra")
    cancel = threading.Event()

    def progress(p: Progress) -> None:
        if p.steps:
            cancel.set()

    with pytest.raises(RetrainCancelled):
        train_in_subprocess(tiny_specs(), tiny_config(tmp_path, epochs=500), "test", progress, cancel)
    assert not (tmp_path / "model").exists()


def test_a_model_this_cpu_computes_otherwise_gets_the_amber_banner_and_retrain(qtbot, home):
    from assistant.nlu.int8_kernels import int8_caveat

    window = open_window(qtbot, home)
    page = window.model_page
    caveat = int8_caveat("int8 dynamic (MatMul per output column, Gather)", frozenset({"avx2"}))
    page.show_model(replace(page.model, matches_plugins=True, caveat=caveat))
    assert page.banner_text.text() == caveat
    window._show_model_status(page.model)
    assert "retrain advised" in window.statusBar().currentMessage()
    assert page.banner_retrain.isVisibleTo(page)

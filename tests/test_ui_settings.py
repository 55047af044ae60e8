"""Settings: stored with QSettings (in the test's own ini file), edited in the dialog, applied live; themes."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

pytest.importorskip("PySide6", reason="the window needs PySide6")

from PySide6.QtGui import QKeySequence, QPalette
from PySide6.QtWidgets import QApplication

from tests.ui_support import ask, open_window
from ui.app import engine_options
from ui.settings import Settings, SettingsStore
from ui.settings_dialog import SettingsDialog
from ui.theme import ThemeController, ThemeMode, is_dark


def test_settings_round_trip_through_an_ini_file(tmp_path):
    store = SettingsStore.at(tmp_path / "settings.ini")
    assert store.load() == Settings()
    chosen = Settings(theme=ThemeMode.DARK, model_dir="/models/mine", threads=2, threshold=0.6,
                      speech_engine="vosk", speech_model_dir="/speech", hold_key="F8", quick_retrain=True,
                      disabled_plugins=("weather",))
    store.save(chosen)
    assert SettingsStore.at(tmp_path / "settings.ini").load() == chosen
    assert "theme=dark" in (tmp_path / "settings.ini").read_text()


def test_with_a_throwaway_home_the_settings_live_inside_it(home):
    store = SettingsStore.default()
    assert Path(store.qsettings.fileName()) == home / "settings.ini"


def test_unreadable_values_fall_back_to_defaults(tmp_path):
    path = tmp_path / "settings.ini"
    path.write_text("[appearance]\ntheme=purple\n[engine]\nthreads=many\nthreshold=high\n")
    assert SettingsStore.at(path).load() == Settings()


def test_the_command_line_overrides_the_settings(home):
    settings = Settings(model_dir="/models/mine", threads=3, threshold=0.6)
    args = argparse.Namespace(model=None, threads=1, threshold=None, no_user_plugins=True)
    options = engine_options(args, settings)
    assert (options.model_dir, options.threads, options.threshold, options.user_plugins) == \
           (Path("/models/mine"), 3, 0.6, False)
    args = argparse.Namespace(model=Path("/other"), threads=2, threshold=0.4, no_user_plugins=False)
    options = engine_options(args, settings)
    assert (options.model_dir, options.threads, options.threshold) == (Path("/other"), 2, 0.4)


def test_the_dialog_edits_a_copy_and_returns_new_settings(qtbot):
    dialog = SettingsDialog(Settings(disabled_plugins=("weather",)))
    qtbot.addWidget(dialog)
    dialog.theme.setCurrentIndex(2)
    dialog.threads.setValue(1)
    dialog.model_threshold.setChecked(False)
    dialog.threshold.setValue(0.65)
    dialog.engine.setCurrentIndex(1)
    dialog.speech_dir.edit.setText(" /speech/model ")
    dialog.hold_key.setKeySequence(QKeySequence("F7"))
    dialog.quick.setChecked(True)
    result = dialog.result_settings()
    assert result == Settings(theme=ThemeMode.DARK, threads=1, threshold=0.65, speech_engine="vosk",
                              speech_model_dir="/speech/model", hold_key="F7", quick_retrain=True,
                              disabled_plugins=("weather",))
    assert dialog.threshold.accessibleName() == "Out-of-scope threshold"


@pytest.fixture
def restore_theme(qapp):
    style, palette = qapp.style().name(), qapp.palette()
    yield
    qapp.setStyle(style)
    qapp.setPalette(palette)


def test_the_theme_follows_the_system_unless_overridden(qapp, restore_theme):
    theme = ThemeController(qapp, ThemeMode.DARK)
    assert is_dark(QApplication.palette())
    theme.apply(ThemeMode.LIGHT)
    assert not is_dark(QApplication.palette())
    theme.apply(ThemeMode.SYSTEM)
    assert theme.dark == (qapp.styleHints().colorScheme().name == "Dark")
    assert is_dark(QApplication.palette()) == theme.dark
    assert QApplication.palette().color(QPalette.ColorRole.Highlight).isValid()


def test_applying_settings_reopens_the_core_and_keeps_working(qtbot, home, restore_theme, qapp):
    window = open_window(qtbot, home)
    window.theme = ThemeController(qapp, ThemeMode.LIGHT)
    new = Settings(theme=ThemeMode.DARK, threshold=0.99, hold_key="F8")
    with qtbot.waitSignal(window.bridge.ready, timeout=30_000):
        window.apply_settings(new)
    assert window.bridge.options.threshold == 0.99
    assert is_dark(QApplication.palette())
    assert window.chat.voice_controls.hold_key == "F8"
    assert SettingsStore.at(home / "settings.ini").load() == new
    turn = ask(qtbot, window, "what is the meaning of life")
    assert turn.kind.value == "out_of_scope"

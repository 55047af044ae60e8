"""The settings dialog: speech and model folders, threads, out-of-scope threshold, theme, talk key.

The dialog edits a copy and returns a new :class:`~ui.settings.Settings`; the window decides
what to re-open (the core for model options, the voice session for speech options).
"""

from __future__ import annotations

import os
from dataclasses import replace

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QKeySequenceEdit,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.settings import SPEECH_ENGINES, Settings
from ui.theme import ThemeMode

THEMES = {ThemeMode.SYSTEM: "Follow the system", ThemeMode.LIGHT: "Light", ThemeMode.DARK: "Dark"}
ENGINE_NAMES = {"auto": "Automatic", "vosk": "Vosk", "pocketsphinx": "PocketSphinx"}


class FolderField(QWidget):
    """A path line edit with a Browse… button; empty means "automatic"."""

    def __init__(self, value: str, accessible: str, placeholder: str) -> None:
        super().__init__()
        self.edit = QLineEdit(value)
        self.edit.setAccessibleName(accessible)
        self.edit.setPlaceholderText(placeholder)
        self.edit.setClearButtonEnabled(True)
        self.browse = QPushButton("Browse…")
        self.browse.setAccessibleName(f"Choose {accessible.lower()}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.browse)
        self.browse.clicked.connect(self._choose)

    def _choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.edit.accessibleName(), self.edit.text())
        if folder:
            self.edit.setText(folder)

    def value(self) -> str:
        return self.edit.text().strip()


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self._original = settings

        self.theme = QComboBox()
        self.theme.setAccessibleName("Theme")
        for mode, label in THEMES.items():
            self.theme.addItem(label, mode.value)
        self.theme.setCurrentIndex(list(THEMES).index(settings.theme))

        self.model_dir = FolderField(settings.model_dir, "Language model folder",
                                     "automatic: the best match for the installed plugins")
        self.threads = QSpinBox()
        self.threads.setAccessibleName("Threads")
        self.threads.setRange(1, max(1, os.cpu_count() or 1))
        self.threads.setValue(min(settings.threads, self.threads.maximum()))
        self.model_threshold = QCheckBox("Use the model's own threshold")
        self.threshold = QDoubleSpinBox()
        self.threshold.setAccessibleName("Out-of-scope threshold")
        self.threshold.setRange(0.0, 1.0)
        self.threshold.setSingleStep(0.05)
        self.threshold.setDecimals(2)
        self.threshold.setValue(settings.threshold if settings.threshold is not None else 0.5)
        self.model_threshold.setChecked(settings.threshold is None)
        self.threshold.setEnabled(settings.threshold is not None)
        self.model_threshold.toggled.connect(lambda on: self.threshold.setEnabled(not on))
        threshold_row = QHBoxLayout()
        threshold_row.addWidget(self.threshold)
        threshold_row.addWidget(self.model_threshold, 1)

        self._build_speech_fields(settings)

        form = QFormLayout()
        form.addRow("&Theme:", self.theme)
        form.addRow("&Language model folder:", self.model_dir)
        form.addRow("T&hreads:", self.threads)
        form.addRow("&Out-of-scope threshold:", threshold_row)
        form.addRow("&Speech engine:", self.engine)
        form.addRow("Speech &model folder:", self.speech_dir)
        form.addRow("&Hold-to-talk key:", self.hold_key)
        form.addRow("", self.quick)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _build_speech_fields(self, settings: Settings) -> None:
        self.engine = QComboBox()
        self.engine.setAccessibleName("Speech engine")
        for name in SPEECH_ENGINES:
            self.engine.addItem(ENGINE_NAMES[name], name)
        self.engine.setCurrentIndex(SPEECH_ENGINES.index(settings.speech_engine))
        self.speech_dir = FolderField(settings.speech_model_dir, "Speech model folder",
                                      "automatic: the engine's default model")
        self.hold_key = QKeySequenceEdit(QKeySequence(settings.hold_key))
        self.hold_key.setAccessibleName("Hold-to-talk key")
        self.hold_key.setMaximumSequenceLength(1)
        self.quick = QCheckBox("Quick retrain (a smaller model in a fraction of the time; less accurate)")
        self.quick.setChecked(settings.quick_retrain)

    def result_settings(self) -> Settings:
        key = self.hold_key.keySequence().toString(QKeySequence.SequenceFormat.PortableText)
        return replace(
            self._original, theme=ThemeMode(self.theme.currentData()), model_dir=self.model_dir.value(),
            threads=self.threads.value(),
            threshold=None if self.model_threshold.isChecked() else round(self.threshold.value(), 2),
            speech_engine=str(self.engine.currentData()), speech_model_dir=self.speech_dir.value(),
            hold_key=key or self._original.hold_key, quick_retrain=self.quick.isChecked(),
        )

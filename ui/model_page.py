"""The model page: what the language model is (its card), whether it fits the plugins, and Retrain.

Retraining runs in the background (see :mod:`ui.retrain`) with a progress bar, an ETA, Cancel
and a log; when it finishes, the new model is swapped in on the core thread and this page shows
its card, without restarting the app.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from assistant.engine import STALE_MODEL
from assistant.nlu.metrics import percent
from assistant.paths import user_model_dir
from assistant.plugins.spec import PluginSpec
from assistant.training.progress import Progress
from ui.bridge import CoreBridge
from ui.retrain import RetrainController, RetrainJob, retrain_command, retrain_config
from ui.snapshots import CoreSnapshot, ModelSnapshot, headline_metrics
from ui.train_process import TrainedModel, training_available

PROGRESS_STEPS = 1000


def _label(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setAccessibleName(name)
    return label


class ModelPage(QWidget):
    def __init__(self, bridge: CoreBridge, retrain: RetrainController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.retrainer = retrain
        self.quick_retrain = False
        self.user_plugins = True
        self.model: ModelSnapshot | None = None
        self._waiting_for_specs = False
        self.setAccessibleName("Model")

        self.banner = QFrame()
        self.banner.setObjectName("modelBanner")
        self.banner_text = _label(name="Model status")
        self.banner_retrain = QPushButton("Retrain &now")
        self.banner_retrain.setAccessibleName("Retrain the model now")
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.addWidget(self.banner_text, 1)
        banner_layout.addWidget(self.banner_retrain)

        card, metrics = self._build_card()
        training = self._build_training()

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.banner)
        row = QHBoxLayout()
        row.addWidget(card, 3)
        row.addWidget(metrics, 1, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)
        layout.addWidget(training, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self.retrain_button.clicked.connect(self.retrain)
        self.banner_retrain.clicked.connect(self.retrain)
        self.cancel_button.clicked.connect(self.cancel)
        bridge.ready.connect(self._on_ready)
        bridge.model_changed.connect(self.show_model)
        bridge.training_specs.connect(self._on_specs)
        retrain.progress.connect(self._on_progress)
        retrain.log_line.connect(self.log.appendPlainText)
        retrain.finished.connect(self._on_finished)
        retrain.cancelled.connect(self._on_cancelled)
        retrain.failed.connect(self._on_failed)
        self._set_running(False)
        self.banner.hide()

    def _build_card(self) -> tuple[QGroupBox, QGroupBox]:
        self.fields: dict[str, QLabel] = {}
        card = QGroupBox("Model card")
        form = QFormLayout(card)
        for key, title in (("name", "Name"), ("created", "Created"), ("directory", "Folder"), ("size", "Size"),
                           ("architecture", "Architecture"), ("threshold", "Out-of-scope threshold"),
                           ("data_hash", "Data hash"), ("command", "Made by"), ("intents", "Intents"),
                           ("slots", "Slots")):
            self.fields[key] = _label(name=title)
            form.addRow(f"{title}:", self.fields[key])
        metrics = QGroupBox("Held-out metrics")
        metrics_form = QFormLayout(metrics)
        for key, title in (("intent_accuracy", "Intent accuracy"), ("slot_f1", "Slot F1"),
                           ("exact_match", "Exact match"), ("utterances", "Utterances")):
            self.fields[key] = _label("—", title)
            metrics_form.addRow(f"{title}:", self.fields[key])
        return card, metrics

    def _build_training(self) -> QGroupBox:
        training = QGroupBox("Retraining")
        self.retrain_button = QPushButton("&Retrain")
        self.retrain_button.setAccessibleName("Retrain the model")
        self.cancel_button = QPushButton("&Cancel training")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Training progress")
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.progress.setFormat("%p%")
        self.eta = _label("Retraining takes a few minutes on the CPU; the assistant stays usable meanwhile.",
                          "Training status")
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setAccessibleName("Training log")
        self.log.setMaximumBlockCount(2000)
        self.log.setMinimumHeight(110)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retrain_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        training_layout = QVBoxLayout(training)
        training_layout.addLayout(buttons)
        training_layout.addWidget(self.progress)
        training_layout.addWidget(self.eta)
        training_layout.addWidget(self.log, 1)
        return training

    def _on_ready(self, snapshot: CoreSnapshot) -> None:
        self.show_model(snapshot.model)

    def show_model(self, model: ModelSnapshot) -> None:
        self.model = model
        card = model.card
        arch = card.architecture
        f = self.fields
        f["name"].setText(card.name)
        f["created"].setText(card.created or "—")
        f["directory"].setText(str(model.directory))
        f["size"].setText(f"{model.size_bytes / 1e6:.1f} MB" if model.size_bytes else "—")
        f["architecture"].setText(", ".join(str(x) for x in (
            f"{arch['layers']} layers" if "layers" in arch else None,
            f"hidden {arch['hidden']}" if "hidden" in arch else None,
            f"{arch['parameters'] / 1e6:.1f} M parameters" if "parameters" in arch else None,
            arch.get("precision")) if x) or "—")
        f["threshold"].setText(f"{card.threshold:.2f}")
        f["data_hash"].setText(card.data_hash[:23] + "…" if len(card.data_hash) > 24 else card.data_hash)
        f["data_hash"].setToolTip(card.data_hash)
        f["command"].setText(card.command or "—")
        intents = [i for i in card.labels.intents if i != "oos"]
        f["intents"].setText(f"{len(intents)}: " + ", ".join(intents))
        f["slots"].setText(f"{len(card.labels.slots)}: " + ", ".join(card.labels.slots))
        metrics = headline_metrics(card)
        for key in ("intent_accuracy", "slot_f1", "exact_match"):
            f[key].setText(percent(metrics.get(key)))
        f["utterances"].setText(str(metrics.get("utterances", "—")))
        self.banner.setVisible(True)
        if model.matches_plugins and not model.caveat:
            self.banner.setStyleSheet("#modelBanner { background: rgba(46, 164, 79, 40); border-radius: 8px; }")
            self.banner_text.setText("The model was trained on the installed plugins: everything they declare "
                                     "is understood.")
            self.banner_retrain.hide()
        else:
            self.banner.setStyleSheet("#modelBanner { background: rgba(229, 160, 0, 60); border-radius: 8px; }")
            parts = [] if model.matches_plugins else [STALE_MODEL]
            if model.caveat:
                parts.append(model.caveat)
            if not model.matches_plugins:
                parts.append("Retrain to catch up.")
            self.banner_text.setText(" ".join(parts))
            self.banner_retrain.setVisible(not self.retrainer.running)
            self.retrain_button.setDefault(True)

    def retrain(self) -> None:
        if self.retrainer.running or self._waiting_for_specs:
            return
        missing = training_available()
        if missing:
            self.eta.setText(missing)
            self.log.appendPlainText(missing)
            return
        self._waiting_for_specs = True
        self._set_running(True)
        self.progress.setValue(0)
        self.eta.setText("Preparing the training data…")
        self.log.appendPlainText(("Quick retrain" if self.quick_retrain else "Retrain") +
                                 f" into {user_model_dir()}.")
        self.bridge.request_training_specs()

    def _on_specs(self, specs: tuple[PluginSpec, ...]) -> None:
        if not self._waiting_for_specs:
            return
        self._waiting_for_specs = False
        config = retrain_config(user_model_dir(), self.quick_retrain)
        self.retrainer.start(RetrainJob(tuple(specs), config,
                                        retrain_command(self.quick_retrain, self.user_plugins)))

    def cancel(self) -> None:
        if self.retrainer.running:
            self.eta.setText("Cancelling…")
            self.cancel_button.setEnabled(False)
            self.retrainer.cancel()

    def _set_running(self, running: bool) -> None:
        self.retrain_button.setEnabled(not running)
        self.banner_retrain.setEnabled(not running)
        self.cancel_button.setEnabled(running)

    def _on_progress(self, progress: Progress) -> None:
        tracker = self.retrainer.tracker
        if tracker is None:
            return
        self.progress.setValue(round(tracker.fraction * PROGRESS_STEPS))
        self.eta.setText(tracker.describe(progress))

    def _on_finished(self, result: TrainedModel) -> None:
        self._set_running(False)
        self.progress.setValue(PROGRESS_STEPS)
        metrics = headline_metrics(result.card)
        summary = (f"intent accuracy {percent(metrics['intent_accuracy'])}, slot F1 {percent(metrics.get('slot_f1'))}"
                   if "intent_accuracy" in metrics else "no held-out metrics")
        self.eta.setText(f"Done ({summary}). The new model is in use.")
        self.log.appendPlainText("Swapping in the new model.")
        self.bridge.swap_model(result.directory)

    def _on_cancelled(self) -> None:
        self._set_running(False)
        self.progress.setValue(0)
        self.eta.setText("Training cancelled; the previous model stays in use.")

    def _on_failed(self, message: str) -> None:
        self._set_running(False)
        self.eta.setText(f"Training failed: {message}")


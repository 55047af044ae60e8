"""The main window: a sidebar of pages (conversation, plugins, model), menus, status bar and tray.

It wires the pages to the two bridges (core and voice) and to the settings; every piece of
behaviour lives in the page or widget that owns it.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from assistant.results import Notification, Turn
from ui.bridge import CoreBridge
from ui.chat_page import ChatPage
from ui.icons import app_icon, icon
from ui.model_page import ModelPage
from ui.notifications import Notifier
from ui.plugins_page import PluginsPage
from ui.retrain import RetrainController
from ui.settings import Settings, SettingsStore
from ui.settings_dialog import SettingsDialog
from ui.snapshots import CoreSnapshot, ModelSnapshot
from ui.theme import ThemeController
from ui.voice import SpokenRequest, VoiceBridge

PAGES = (("chat", "Conversation"), ("plugins", "Plugins"), ("model", "Model"))


class MainWindow(QMainWindow):
    def __init__(self, bridge: CoreBridge, *, voice: VoiceBridge | None = None,
                 retrain: RetrainController | None = None, store: SettingsStore | None = None,
                 theme: ThemeController | None = None, use_tray: bool | None = None) -> None:
        super().__init__()
        self.bridge = bridge
        self.store = store or SettingsStore.default()
        self.settings: Settings = self.store.load()
        self.voice = voice or VoiceBridge()
        self.retrain = retrain or RetrainController()
        self.theme = theme
        self._closed = False
        self.setWindowTitle("Desk Assistant")
        self.setWindowIcon(app_icon())
        self.setAccessibleName("Desk Assistant")

        self._build_pages(bridge)
        self.notifier = Notifier(self.chat.banner, self, use_tray)
        self.notifier.show_window_requested.connect(self._raise)
        self.notifier.quit_requested.connect(self.close)
        self._build_menus()
        self.statusBar().showMessage("Loading the language model…")
        self.resize(1120, 740)
        geometry = self.store.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)

        bridge.ready.connect(self.on_ready)
        bridge.failed.connect(self.on_failed)
        bridge.turn_finished.connect(self.on_turn)
        bridge.stats_changed.connect(self.chat.stats.show_stats)
        bridge.notification.connect(self.on_notification)
        bridge.model_changed.connect(self._show_model_status)
        self.chat.input_bar.submitted.connect(self.submit)
        self.chat.voice_controls.spoken.connect(self.submit_spoken)
        self.plugins.plugin_toggled.connect(self._remember_plugin)
        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]

    # -- menus and pages ---------------------------------------------------------------------------

    def _build_pages(self, bridge: CoreBridge) -> None:
        self.chat = ChatPage(self.voice, self.settings.hold_key)
        self.plugins = PluginsPage(bridge)
        self.model_page = ModelPage(bridge, self.retrain)
        self.model_page.quick_retrain = self.settings.quick_retrain
        self.model_page.user_plugins = bridge.options.user_plugins
        self.pages = QStackedWidget()
        self.nav = QListWidget()
        self.nav.setAccessibleName("Pages")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setFixedWidth(150)
        self.nav.setFrameShape(QFrame.Shape.NoFrame)
        for page, (key, title) in zip((self.chat, self.plugins, self.model_page), PAGES, strict=True):
            self.pages.addWidget(page)
            self.nav.addItem(QListWidgetItem(icon(key), title))
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.nav.setCurrentRow(0)
        body = QWidget()
        body_layout = QHBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(0)
        body_layout.addWidget(self.nav)
        body_layout.addWidget(self.pages, 1)
        self.setCentralWidget(body)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.settings_action = QAction(icon("settings"), "&Settings…", self)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.triggered.connect(self.open_settings)
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        quit_action = file_menu.addAction("&Quit", QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction(self.chat.conversation.copy_action)
        edit_menu.addAction(self.chat.conversation.copy_all_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.chat.clear_action)
        view_menu = self.menuBar().addMenu("&View")
        for row, (_key, title) in enumerate(PAGES):
            action = view_menu.addAction(title, QKeySequence(f"Ctrl+{row + 1}"))
            action.triggered.connect(lambda _=False, r=row: self.show_page(r))
        view_menu.addSeparator()
        self.stats_action = view_menu.addAction("S&tatistics panel", QKeySequence("Ctrl+T"))
        self.stats_action.setCheckable(True)
        self.stats_action.setChecked(True)
        self.stats_action.toggled.connect(self.chat.stats_area.setVisible)
        self.focus_input_action = view_menu.addAction("&Focus the request line", QKeySequence("Ctrl+K"))
        self.focus_input_action.triggered.connect(self._focus_input)

    def show_page(self, row: int) -> None:
        self.nav.setCurrentRow(row)
        if row == 0:
            self._focus_input()

    def _focus_input(self) -> None:
        self.nav.setCurrentRow(0)
        self.chat.input_bar.line.setFocus()

    def _raise(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    # -- the core ----------------------------------------------------------------------------------

    def start(self) -> None:
        """Open the core and the voice session, each on its own thread."""
        self.bridge.start()
        self.voice.open(self.settings.voice_config())

    def on_ready(self, snapshot: CoreSnapshot) -> None:
        self.chat.input_bar.set_ready(True)
        self.chat.input_bar.line.setFocus()
        self._show_model_status(snapshot.model)

    def _show_model_status(self, model: ModelSnapshot) -> None:
        plugins = len(self.plugins.snapshot.plugins)
        state = ("out of date: see the Model page" if not model.matches_plugins
                 else "retrain advised: see the Model page" if model.caveat else "matches the plugins")
        self.statusBar().showMessage(f"Ready · {plugins} plugins · model {model.card.created[:10] or model.card.name}"
                                     f" ({state})")

    def on_failed(self, message: str) -> None:
        self.chat.show_error(message)
        if not self.bridge.is_ready:
            self.statusBar().showMessage("The assistant could not start")
            self.chat.input_bar.set_ready(False, "The assistant could not start; see the message above")

    def submit(self, text: str) -> None:
        self.bridge.ask(text)

    def submit_spoken(self, spoken: SpokenRequest) -> None:
        self.bridge.ask(spoken.transcript.text, transcript=spoken.transcript, stages=spoken.stages,
                        started_ns=spoken.started_ns)

    def on_turn(self, turn: Turn) -> None:
        self.chat.show_turn(turn)

    def on_notification(self, notification: Notification) -> None:
        self.chat.show_notification(notification)
        self.notifier.notify(notification)

    # -- settings ----------------------------------------------------------------------------------

    def _remember_plugin(self, name: str, enabled: bool) -> None:
        self.settings = self.settings.with_plugin(name, enabled)
        self.store.save(self.settings)

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.settings, self)
        if dialog.exec():
            self.apply_settings(dialog.result_settings())

    def apply_settings(self, new: Settings) -> None:
        old, self.settings = self.settings, new
        self.store.save(new)
        if self.theme is not None and new.theme != old.theme:
            self.theme.apply(new.theme)
        self.chat.voice_controls.set_hold_key(new.hold_key)
        self.model_page.quick_retrain = new.quick_retrain
        if (new.model_dir, new.threads, new.threshold) != (old.model_dir, old.threads, old.threshold):
            self.chat.input_bar.set_ready(False, "Reloading the language model…")
            self.statusBar().showMessage("Reloading the language model…")
            self.bridge.reopen(replace(new.engine_options(self.bridge.options.user_plugins),
                                       data_dir=self.bridge.options.data_dir))
        if new.voice_config() != old.voice_config():
            self.voice.open(new.voice_config())

    # -- hold-to-talk and closing ------------------------------------------------------------------

    def _is_hold_key(self, event: QKeyEvent) -> bool:
        sequence = QKeySequence(self.settings.hold_key)
        return not sequence.isEmpty() and event.key() == sequence[0].key()  # type: ignore[index]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease) and isinstance(event, QKeyEvent) \
                and watched is (QApplication.focusWidget() or self) and self.isActiveWindow() \
                and self._is_hold_key(event):
            if not event.isAutoRepeat():
                if kind == QEvent.Type.KeyPress:
                    self.chat.voice_controls.press()
                else:
                    self.chat.voice_controls.release()
            return True
        return super().eventFilter(watched, event)

    def shutdown(self) -> None:
        """Stop training, voice and core threads (idempotent; also run when the app quits otherwise)."""
        if self._closed:
            return
        self._closed = True
        QApplication.instance().removeEventFilter(self)  # type: ignore[union-attr]
        self.store.save_geometry(self.saveGeometry())
        self.notifier.hide_tray()
        self.retrain.shutdown()
        self.voice.shutdown()
        self.bridge.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

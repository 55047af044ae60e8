"""Starting the desktop app (the ``gui`` front end of the ``assistant`` command).

Only Qt and the light parts of the core are imported before the window is shown; the language
model opens on the core thread afterwards, so the window appears at once and the input unlocks
when the model is ready.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from assistant.engine import Options
from ui.bridge import CoreBridge
from ui.icons import app_icon
from ui.main_window import MainWindow
from ui.settings import Settings, SettingsStore
from ui.theme import ThemeController


def engine_options(args: argparse.Namespace, settings: Settings) -> Options:
    """The settings, overridden by whatever was given on the command line."""
    options = settings.engine_options(user_plugins=not getattr(args, "no_user_plugins", False))
    model: Path | None = getattr(args, "model", None)
    threads: int | None = getattr(args, "threads", None)
    threshold: float | None = getattr(args, "threshold", None)
    return replace(options, model_dir=model or options.model_dir,
                   threads=threads if threads not in (None, 1) else options.threads,
                   threshold=threshold if threshold is not None else options.threshold)


def application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Desk Assistant")
    app.setOrganizationName("desk-assistant")
    app.setDesktopFileName("desk-assistant")
    return app


def run(args: argparse.Namespace) -> int:
    app = application()
    store = SettingsStore.default()
    settings = store.load()
    theme = ThemeController(app, settings.theme)
    app.setWindowIcon(app_icon())
    bridge = CoreBridge(engine_options(args, settings))
    window = MainWindow(bridge, store=store, theme=theme)
    from ui import probe

    startup = probe.StartupProbe(window) if probe.enabled() else None
    window.show()
    if startup is not None:
        startup.watch()
    window.start()
    try:
        return app.exec()
    finally:
        window.shutdown()

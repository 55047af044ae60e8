"""Starting the desktop app (the ``gui`` front end of the ``assistant`` command)."""

from __future__ import annotations

import argparse
import sys

from PySide6.QtWidgets import QApplication

from assistant.engine import Options
from assistant.paths import data_dir
from ui.bridge import CoreBridge
from ui.main_window import MainWindow


def run(args: argparse.Namespace) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    options = Options(data_dir=data_dir(), model_dir=getattr(args, "model", None), threads=getattr(args, "threads", 1),
                      threshold=getattr(args, "threshold", None),
                      user_plugins=not getattr(args, "no_user_plugins", False))
    bridge = CoreBridge(options)
    window = MainWindow(bridge)
    window.show()
    bridge.start()
    try:
        return app.exec()
    finally:
        bridge.shutdown()

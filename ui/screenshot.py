"""Render the real window with a short conversation and save it as a PNG (docs/screenshot.png).

    python -m ui.screenshot [--output docs/screenshot.png] [--theme light|dark]

Without a display it starts its own Xvfb, so it runs the same way on a desktop, a server and in
the test suite (tests/test_ui_screenshot.py runs it, so the README picture never goes stale).
The conversation runs against a throw-away data folder: no timer or note lands in yours.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QWidget

    from ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parent.parent
CONVERSATION = ("set a pasta timer for 8 minutes", "take a note", "buy coffee filters", "what time is it in tokyo")
SCREEN = (1280, 800)
WINDOW = (1180, 720)


@contextlib.contextmanager
def display() -> Iterator[None]:
    """Use $DISPLAY if there is one, else a private Xvfb for as long as the block runs."""
    if os.environ.get("DISPLAY"):
        yield
        return
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        raise SystemExit("no display and no Xvfb: install the xvfb package or run under a desktop session")
    read, write = os.pipe()
    server = subprocess.Popen([xvfb, "-displayfd", str(write), "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24",
                               "-nolisten", "tcp", "-dpi", "96"], pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        server.kill()
        raise SystemExit("Xvfb did not start")
    os.environ["DISPLAY"] = f":{number}"
    try:
        yield
    finally:
        server.terminate()
        server.wait(timeout=10)


def save_frame(window: QWidget, output: Path) -> None:
    """What the X server shows in the window's frame (tooltips included), else the widget's own rendering."""
    from PySide6.QtGui import QGuiApplication

    frame = window.frameGeometry()
    shot = QGuiApplication.primaryScreen().grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
    if shot.isNull():
        shot = window.grab()
    output.parent.mkdir(parents=True, exist_ok=True)
    if not shot.save(str(output), "PNG"):
        raise SystemExit(f"could not write {output}")


def when_settled(window: MainWindow, start: Callable[[], None]) -> None:
    """Call ``start`` once the model is open and the voice state is known (or 20 s have passed)."""
    from PySide6.QtCore import QTimer

    waiting = {"core", "voice"}

    def settled(part: str) -> None:
        if part in waiting:
            waiting.discard(part)
            if not waiting:
                start()

    window.bridge.ready.connect(lambda _snapshot: settled("core"))
    window.voice.state_changed.connect(lambda _state, _reason: settled("voice"))
    QTimer.singleShot(20_000, lambda: settled("voice"))  # a speech engine that never answers


def render(output: Path, theme: str) -> Path:
    """Open the window, hold the conversation, hover a slot, and save what the X server shows."""
    from PySide6.QtCore import QPoint, QTimer
    from PySide6.QtWidgets import QToolTip

    from ui.app import application
    from ui.bridge import CoreBridge
    from ui.main_window import MainWindow
    from ui.settings import Settings, SettingsStore
    from ui.theme import ThemeController, ThemeMode

    app = application()
    store = SettingsStore.default()
    store.save(Settings(theme=ThemeMode(theme)))
    themes = ThemeController(app, ThemeMode(theme))
    window = MainWindow(CoreBridge(Settings().engine_options(user_plugins=False)), store=store, theme=themes,
                        use_tray=False)
    window.resize(*WINDOW)
    window.move(0, 0)
    pending = list(CONVERSATION)

    def next_request(_turn: object = None) -> None:
        if pending:
            window.chat.input_bar.line.setText(pending.pop(0))
            window.chat.input_bar.submit()
        else:
            QTimer.singleShot(400, hover)

    def hover() -> None:
        view = window.chat.conversation
        first = view.visualRect(view.messages.index(0))
        user = view.messages.message(0)
        spot = QPoint(first.right() - 190, first.bottom() - 8)  # shows below the bubble, in empty space
        QToolTip.showText(view.viewport().mapToGlobal(spot), user.tooltip, view)
        QTimer.singleShot(600, save)

    def save() -> None:
        save_frame(window, output)
        window.close()
        app.quit()

    when_settled(window, lambda: QTimer.singleShot(300, next_request))
    window.bridge.turn_finished.connect(lambda _turn: QTimer.singleShot(150, next_request))
    window.bridge.failed.connect(lambda message: (print(message, file=sys.stderr), app.exit(1)))
    window.show()
    window.start()
    QTimer.singleShot(60_000, lambda: app.exit(2))  # never hang a test run
    status = app.exec()
    window.shutdown()
    if status != 0:
        raise SystemExit(f"the window did not finish the conversation (status {status})")
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument("--theme", choices=("light", "dark"), default="light")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="assistant-screenshot-") as home, display():
        os.environ["ASSISTANT_HOME"] = home
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        path = render(args.output.resolve(), args.theme)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

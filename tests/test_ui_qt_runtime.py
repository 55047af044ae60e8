"""The window survives PySide6's reference leaks on None/True/False (see ui/qt_workarounds.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("PySide6", reason="the window needs PySide6")

from ui.qt_workarounds import HEADROOM, SINGLETONS, needs_protection

LEAKY_LOOP = textwrap.dedent("""
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    calls = 3 * sys.getrefcount(None) + 3 * sys.getrefcount(True)  # enough to exhaust both counts
    if sys.argv[1] == "guarded":
        import ui  # applies the guard
    from PySide6.QtCore import Signal
    from PySide6.QtWidgets import QApplication, QWidget

    class Box(QWidget):
        changed = Signal(str)

    app = QApplication([])
    box = Box()
    for _ in range(calls):
        box.update()           # void call (PySide6 6.12.0 drops a reference to None)
        box.changed.emit("x")  # widget signal (drops a reference to True)
    print("survived")
""")


@pytest.mark.skipif(not needs_protection(), reason="None, True and False are immortal on this Python")
def test_importing_the_ui_makes_the_singletons_immortal():
    import ui  # noqa: F401

    assert all(sys.getrefcount(s) > HEADROOM // 2 for s in SINGLETONS)


def test_many_qt_calls_do_not_abort_the_process():
    done = subprocess.run([sys.executable, "-c", LEAKY_LOOP, "guarded"], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0 and "survived" in done.stdout, done.stderr[-2000:]

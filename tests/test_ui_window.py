"""The desktop window with the real core on its worker thread (offscreen Qt)."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6", reason="the window needs PySide6")

from PySide6.QtCore import Qt  # noqa: E402

from assistant.engine import Options  # noqa: E402
from ui.bridge import CoreBridge  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402


@pytest.fixture
def window(qtbot, home):
    bridge = CoreBridge(Options(data_dir=home, user_plugins=False))
    main = MainWindow(bridge)
    qtbot.addWidget(main)
    with qtbot.waitSignal(bridge.ready, timeout=30_000):
        bridge.start()
    yield main
    bridge.shutdown()


def test_typing_a_request_shows_the_reply_with_highlighted_slots(qtbot, window):
    qtbot.keyClicks(window.input, "set a pasta timer for 8 minutes")
    with qtbot.waitSignal(window.bridge.turn_finished, timeout=10_000):
        qtbot.keyClick(window.input, Qt.Key.Key_Return)
    html = window.transcript.toHtml()
    assert "Pasta timer set for 8 minutes" in window.transcript.toPlainText()
    assert "background-color" in html and "8 minutes" in html
    assert window.understanding.text().startswith("timer.start")
    assert window.input.text() == ""


def test_up_recalls_what_was_sent(qtbot, window):
    qtbot.keyClicks(window.input, "what time is it")
    with qtbot.waitSignal(window.bridge.turn_finished, timeout=10_000):
        qtbot.keyClick(window.input, Qt.Key.Key_Return)
    qtbot.keyClick(window.input, Qt.Key.Key_Up)
    assert window.input.text() == "what time is it"

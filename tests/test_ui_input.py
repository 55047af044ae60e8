"""The request line: Enter sends, blank is ignored, Up/Down walk the history, Escape clears."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6", reason="the window needs PySide6")

from PySide6.QtCore import Qt

from ui.input_bar import InputBar


@pytest.fixture
def bar(qtbot):
    widget = InputBar()
    qtbot.addWidget(widget)
    widget.set_ready(True)
    widget.show()
    return widget


def test_enter_sends_and_clears_but_blank_text_is_not_sent(qtbot, bar):
    sent = []
    bar.submitted.connect(sent.append)
    qtbot.keyClicks(bar.line, "   ")
    qtbot.keyClick(bar.line, Qt.Key.Key_Return)
    bar.line.clear()
    qtbot.keyClicks(bar.line, "what time is it")
    qtbot.keyClick(bar.line, Qt.Key.Key_Return)
    assert sent == ["what time is it"]
    assert bar.line.text() == ""


def test_up_and_down_walk_the_history_and_keep_the_draft(qtbot, bar):
    for text in ("first", "second"):
        qtbot.keyClicks(bar.line, text)
        qtbot.keyClick(bar.line, Qt.Key.Key_Return)
    qtbot.keyClicks(bar.line, "draft")
    qtbot.keyClick(bar.line, Qt.Key.Key_Up)
    assert bar.line.text() == "second"
    qtbot.keyClick(bar.line, Qt.Key.Key_Up)
    assert bar.line.text() == "first"
    qtbot.keyClick(bar.line, Qt.Key.Key_Down)
    qtbot.keyClick(bar.line, Qt.Key.Key_Down)
    assert bar.line.text() == "draft"
    qtbot.keyClick(bar.line, Qt.Key.Key_Escape)
    assert bar.line.text() == ""


def test_nothing_is_sent_until_the_core_is_ready(qtbot, bar):
    sent = []
    bar.submitted.connect(sent.append)
    bar.set_ready(False)
    bar.line.setText("hello")
    bar.submit()
    assert sent == []
    assert "Loading" in bar.line.placeholderText()

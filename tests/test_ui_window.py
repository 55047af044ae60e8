"""End to end: the real window on the real core (offscreen Qt) — type, get the reply, see how it was understood."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6", reason="the window needs PySide6")

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QListView, QTreeWidget

from tests.ui_support import ask, open_window
from ui.messages import Role


@pytest.fixture
def window(qtbot, home):
    return open_window(qtbot, home)


def test_typing_a_request_shows_the_reply_highlighted_slots_and_stats(qtbot, window):
    turn = ask(qtbot, window, "set a pasta timer for 8 minutes")
    messages = window.chat.messages.messages()
    assert [m.role for m in messages] == [Role.USER, Role.ASSISTANT]
    user, reply = messages
    assert user.text == "set a pasta timer for 8 minutes"
    assert reply.text.startswith("Pasta timer set for 8 minutes")
    document = QTextDocument()
    document.setHtml(user.html)
    assert document.toPlainText() == user.text  # the bubble shows exactly what was typed
    assert {(s.name, s.raw) for s in user.slots} == {("label", "pasta"), ("duration", "8 minutes")}
    for slot in user.slots:
        assert f"{slot.raw}</span>" in user.html and "background-color" in user.html
    assert user.tooltip.startswith("timer.start · ")
    assert "% confident" in user.tooltip and "duration: 8 minutes" in user.tooltip

    stats = window.chat.stats
    assert stats.heading.text().startswith("timer.start · ") and "total" in stats.heading.text()
    assert set(stats.bars.values) >= {"tokenize", "model", "decode", "handler"}
    assert stats.bars.values["model"] == pytest.approx(turn.timings_ms()["model"])
    assert list(stats.chart.history) == [pytest.approx(turn.timings_ms()["total"])]
    qtbot.waitUntil(lambda: stats.rolling_cells["model"][0].text() != "—", timeout=5000)
    assert window.chat.input_bar.line.text() == ""


def test_a_follow_up_question_is_part_of_the_conversation(qtbot, window):
    ask(qtbot, window, "take a note")
    ask(qtbot, window, "buy coffee filters")
    roles = [m.role for m in window.chat.messages.messages()]
    assert roles == [Role.USER, Role.QUESTION, Role.USER, Role.ASSISTANT]
    assert window.chat.messages.messages()[-1].text == "Noted: “buy coffee filters”."


def test_up_recalls_what_was_sent(qtbot, window):
    ask(qtbot, window, "what time is it")
    qtbot.keyClick(window.chat.input_bar.line, Qt.Key.Key_Up)
    assert window.chat.input_bar.line.text() == "what time is it"


def test_keyboard_shortcuts_switch_pages_and_every_control_has_an_accessible_name(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.plugins
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.model_page
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.chat
    assert window.chat.input_bar.line.hasFocus()
    unnamed = []
    for page in range(window.pages.count()):
        window.show_page(page)
        for kind in (QAbstractButton, QLineEdit, QComboBox, QListView, QTreeWidget):
            for widget in window.findChildren(kind):
                if widget.focusPolicy() != Qt.FocusPolicy.NoFocus and widget.isVisibleTo(window) \
                        and not (widget.accessibleName() or getattr(widget, "text", lambda: "")()):
                    unnamed.append(f"{type(widget).__name__} {widget.objectName()} on page {page}")
    assert unnamed == []

"""Notifications: a due timer reaches the transcript and the tray (or the in-window banner without one)."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6", reason="the window needs PySide6")

from PySide6.QtWidgets import QWidget

from assistant.results import Notification
from tests.ui_support import ask, open_window
from ui.messages import Role
from ui.notifications import NotificationBanner, Notifier

DUE = Notification("Timer “tea”", "Time is up!", "timer")


def test_without_a_tray_the_banner_shows_and_can_be_dismissed(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    banner = NotificationBanner(window)
    notifier = Notifier(banner, window, use_tray=False)
    window.show()
    notifier.notify(DUE)
    assert not notifier.uses_tray
    assert banner.isVisible() and "Time is up!" in banner.text.text()
    banner.close_button.click()
    assert not banner.isVisible()


def test_with_a_tray_the_message_goes_there(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    notifier = Notifier(NotificationBanner(window), window, use_tray=True)
    notifier.notify(DUE)
    assert notifier.uses_tray and notifier.shown == [DUE]
    assert notifier.tray.contextMenu().actions()[0].text() == "Show window"
    notifier.hide_tray()


def test_a_due_timer_appears_in_the_transcript_while_the_app_runs(qtbot, home):
    window = open_window(qtbot, home)
    ask(qtbot, window, "set a tea timer for 1 second")
    with qtbot.waitSignal(window.bridge.notification, timeout=10_000) as fired:
        pass
    assert fired.args[0].source == "timer"
    last = window.chat.messages.messages()[-1]
    assert last.role is Role.NOTIFICATION and "Time" in last.text
    assert window.chat.banner.isVisible()

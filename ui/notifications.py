"""Timers, alarms and reminders reaching the user: a system-tray message, else an in-window banner.

The transcript gets every notification too (the window adds it); this module only decides how to
get attention. Sessions without a tray (some Wayland desktops, offscreen tests) fall back to a
banner at the top of the window, so a ringing timer is never silent.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSystemTrayIcon,
    QToolButton,
    QWidget,
)

from assistant.results import Notification
from ui.icons import app_icon, icon

BANNER_MS = 12_000
TRAY_MS = 10_000


class NotificationBanner(QFrame):
    """An in-window notice that dismisses itself (or with its × button)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notificationBanner")
        self.setAccessibleName("Notification")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#notificationBanner { background: #2ea44f; border-radius: 8px; }"
                           "#notificationBanner QLabel { color: white; }")
        self.bell = QLabel()
        self.bell.setPixmap(icon("bell", QColor("white")).pixmap(18, 18))
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setAccessibleName("Dismiss notification")
        self.close_button.setAutoRaise(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.bell)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.close_button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.close_button.clicked.connect(self.hide)
        self.hide()

    def show_notification(self, notification: Notification) -> None:
        late = " (while the assistant was closed)" if notification.late else ""
        self.text.setText(f"<b>{notification.title}</b> — {notification.body}{late}")
        self.show()
        self._timer.start(BANNER_MS)


class Notifier(QObject):
    """Shows notifications in the tray when there is one, else on the banner."""

    show_window_requested = Signal()
    quit_requested = Signal()

    def __init__(self, banner: NotificationBanner, window: QWidget, use_tray: bool | None = None) -> None:
        super().__init__(window)
        self.banner = banner
        self.window = window
        self.tray: QSystemTrayIcon | None = None
        if use_tray is None:
            use_tray = QSystemTrayIcon.isSystemTrayAvailable()
        if use_tray:
            self.tray = QSystemTrayIcon(app_icon(), self)
            self.tray.setToolTip("Desk Assistant")
            menu = QMenu(window)
            menu.addAction("Show window", self.show_window_requested.emit)
            menu.addSeparator()
            menu.addAction("Quit", self.quit_requested.emit)
            self.tray.setContextMenu(menu)
            self.tray.activated.connect(self._activated)
            self.tray.show()
        self.shown: list[Notification] = []

    @property
    def uses_tray(self) -> bool:
        return self.tray is not None

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.show_window_requested.emit()

    def notify(self, notification: Notification) -> None:
        self.shown.append(notification)
        if self.tray is not None and self.tray.supportsMessages():
            self.tray.showMessage(notification.title, notification.body, app_icon(), TRAY_MS)
        if self.tray is None or not self.window.isActiveWindow():
            self.banner.show_notification(notification)
        QApplication.alert(self.window)

    def hide_tray(self) -> None:
        if self.tray is not None:
            self.tray.hide()

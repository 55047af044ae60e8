"""Light and dark themes: follow the system's colour scheme by default, or a fixed choice.

We set the Fusion style with an explicit palette instead of trusting the platform theme, because
many X11/Wayland sessions report a dark scheme without giving Qt a dark palette; the result is
the same window on every desktop, in the scheme the user asked for.
"""

from __future__ import annotations

import enum

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


class ThemeMode(enum.StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


def system_is_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def resolve(mode: ThemeMode) -> bool:
    """True when ``mode`` means dark right now."""
    return system_is_dark() if mode is ThemeMode.SYSTEM else mode is ThemeMode.DARK


def dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor("#1f2329"), QColor("#16191d"), QColor("#e6e9ee")
    roles = {
        QPalette.ColorRole.Window: window, QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base, QPalette.ColorRole.AlternateBase: QColor("#252a31"),
        QPalette.ColorRole.ToolTipBase: QColor("#2d333b"), QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: QColor("#8b949e"), QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor("#2a3038"), QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor("#ff7b72"), QPalette.ColorRole.Highlight: QColor("#3d7be0"),
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"), QPalette.ColorRole.Link: QColor("#6cb6ff"),
        QPalette.ColorRole.Light: QColor("#3a414b"), QPalette.ColorRole.Midlight: QColor("#313840"),
        QPalette.ColorRole.Mid: QColor("#262c33"), QPalette.ColorRole.Dark: QColor("#121417"),
        QPalette.ColorRole.Shadow: QColor("#000000"),
    }
    for role, colour in roles.items():
        p.setColor(role, colour)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6e7681"))
    return p


def light_palette() -> QPalette:
    app = QApplication.instance()
    style = app.style() if isinstance(app, QApplication) else None
    p = style.standardPalette() if style is not None else QPalette()
    p.setColor(QPalette.ColorRole.Highlight, QColor("#2f6fd6"))
    p.setColor(QPalette.ColorRole.Link, QColor("#1f5fbf"))
    return p


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


class ThemeController(QObject):
    """Applies a :class:`ThemeMode` to the application and re-applies it when the system scheme flips."""

    def __init__(self, app: QApplication, mode: ThemeMode = ThemeMode.SYSTEM) -> None:
        super().__init__(app)
        self._app = app
        self.mode = mode
        app.setStyle("Fusion")
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_changed)
        self.apply(mode)

    @property
    def dark(self) -> bool:
        return resolve(self.mode)

    def apply(self, mode: ThemeMode) -> None:
        self.mode = mode
        hints = QGuiApplication.styleHints()
        if mode is ThemeMode.SYSTEM:
            hints.unsetColorScheme()
        else:
            hints.setColorScheme(Qt.ColorScheme.Dark if mode is ThemeMode.DARK else Qt.ColorScheme.Light)
        self._app.setPalette(dark_palette() if self.dark else light_palette())

    def _system_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.mode is ThemeMode.SYSTEM:
            self._app.setPalette(dark_palette() if self.dark else light_palette())

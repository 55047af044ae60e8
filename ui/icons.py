"""Our own SVG icons (resources/icons), tinted for the current palette and sharp at any scale.

The line icons draw with ``currentColor``; we substitute the palette's text colour before
rendering so they read well in light and dark themes, and render several sizes at the screen's
device pixel ratio so high-DPI displays get crisp pixels instead of scaled-up blur.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from assistant.paths import resources_dir

SIZES = (16, 20, 24, 32, 48, 64, 128)


@cache
def _svg(name: str) -> str:
    return (resources_dir() / "icons" / f"{name}.svg").read_text(encoding="utf-8")


def icon(name: str, colour: QColor | None = None) -> QIcon:
    """The icon ``name`` in ``colour`` (default: the application palette's text colour)."""
    if colour is None:
        colour = QGuiApplication.palette().color(QPalette.ColorRole.WindowText)
    renderer = QSvgRenderer(QByteArray(_svg(name).replace("currentColor", colour.name()).encode()))
    screen = QGuiApplication.primaryScreen()
    ratio = screen.devicePixelRatio() if screen is not None else 1.0
    result = QIcon()
    for size in SIZES:
        pixmap = QPixmap(round(size * ratio), round(size * ratio))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, pixmap.width(), pixmap.height()))
        painter.end()
        pixmap.setDevicePixelRatio(ratio)
        result.addPixmap(pixmap)
    return result


def app_icon() -> QIcon:
    return icon("app")

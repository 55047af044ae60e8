"""A slim input-level meter: fast attack, slow release, so speech reads as a steady bar, not flicker."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

DECAY_PER_TICK = 0.06
TICK_MS = 40


class LevelMeter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level = 0.0
        self.setAccessibleName("Microphone level")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._decay = QTimer(self)
        self._decay.setInterval(TICK_MS)
        self._decay.timeout.connect(self._fall)

    def sizeHint(self) -> QSize:
        return QSize(90, 8)

    def set_level(self, level: float) -> None:
        level = min(1.0, max(0.0, level))
        self.level = max(level, self.level)
        if not self._decay.isActive():
            self._decay.start()
        self.setAccessibleDescription(f"{round(self.level * 100)} percent")
        self.update()

    def reset(self) -> None:
        self.level = 0.0
        self._decay.stop()
        self.update()

    def _fall(self) -> None:
        self.level = max(0.0, self.level - DECAY_PER_TICK)
        if self.level == 0.0:
            self._decay.stop()
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        radius = rect.height() / 2
        track = self.palette().color(QPalette.ColorRole.Mid)
        painter.setPen(QColor(0, 0, 0, 0))
        painter.setBrush(track)
        painter.drawRoundedRect(rect, radius, radius)
        if self.level > 0 and self.isEnabled():
            colour = QColor("#2ea44f") if self.level < 0.85 else QColor("#e5534b")
            painter.setBrush(colour)
            filled = QRectF(rect.left(), rect.top(), max(rect.height(), rect.width() * self.level), rect.height())
            painter.drawRoundedRect(filled, radius, radius)

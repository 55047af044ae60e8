"""A small live chart of total latency over the recent requests, painted with QPainter.

A charting library would add tens of megabytes for one sparkline; a few dozen lines of QPainter
draw the same thing, follow the palette and cost nothing at startup.
"""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.stage_bars import format_ms

HISTORY = 60
MIN_SLOTS = 12
"""The first few requests are spread over this many slots instead of bunching at the right edge."""


class LatencyChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history: deque[float] = deque(maxlen=HISTORY)
        self.setAccessibleName("Latency history")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(70)

    def sizeHint(self) -> QSize:
        return QSize(260, 90)

    def add(self, total_ms: float) -> None:
        self.history.append(total_ms)
        self.setAccessibleDescription(f"{len(self.history)} recent requests, latest {format_ms(total_ms)}, "
                                      f"slowest {format_ms(max(self.history))}")
        self.update()

    def clear(self) -> None:
        self.history.clear()
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        frame = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(frame, 6, 6)
        metrics = QFontMetrics(self.font())
        if not self.history:
            painter.setPen(text)
            painter.drawText(frame, Qt.AlignmentFlag.AlignCenter, "No requests yet")
            return
        top = max(self.history) * 1.15
        plot = frame.adjusted(6, metrics.height() + 2, -6, -6)
        step = plot.width() / max(1, min(HISTORY, max(MIN_SLOTS, len(self.history))) - 1)
        points = [QPointF(plot.right() - (len(self.history) - 1 - i) * step,
                          plot.bottom() - plot.height() * value / top) for i, value in enumerate(self.history)]
        accent = palette.color(QPalette.ColorRole.Highlight)
        fill = QColor(accent)
        fill.setAlpha(50)
        area = QPainterPath(QPointF(points[0].x(), plot.bottom()))
        for point in points:
            area.lineTo(point)
        area.lineTo(QPointF(points[-1].x(), plot.bottom()))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawPath(area)
        painter.setPen(QPen(accent, 1.6))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if len(points) > 1:
            line = QPainterPath(points[0])
            for point in points[1:]:
                line.lineTo(point)
            painter.drawPath(line)
        painter.setBrush(accent)
        painter.drawEllipse(points[-1], 2.5, 2.5)
        painter.setPen(text)
        painter.drawText(frame.adjusted(6, 2, -6, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                         f"latest {format_ms(self.history[-1])}")
        painter.drawText(frame.adjusted(6, 2, -6, 0), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                         f"max {format_ms(max(self.history))}")

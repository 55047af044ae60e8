"""One horizontal bar per pipeline stage of the last request, in milliseconds.

Stages a request did not pass through (audio and recognition for typed text) keep their row with
"—", so the layout does not jump between typed and spoken requests. Thin ticks mark each stage's
rolling p50 and p95, so an unusually slow stage stands out at a glance.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

STAGES = ("audio", "recognition", "tokenize", "model", "decode", "handler")
COLOURS = {"audio": "#8b5cf6", "recognition": "#a855f7", "tokenize": "#0ea5e9", "model": "#2f6fd6",
           "decode": "#14b8a6", "handler": "#f59e0b"}
ROW = 20


def format_ms(ms: float | None) -> str:
    if ms is None:
        return "—"
    if ms < 1:
        return f"{ms:.2f} ms"
    if ms < 100:
        return f"{ms:.1f} ms"
    return f"{ms:.0f} ms"


class StageBars(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.values: dict[str, float] = {}
        self.percentiles: dict[str, tuple[float, float, int]] = {}
        self.setAccessibleName("Time per stage of the last request")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(ROW * len(STAGES))

    def sizeHint(self) -> QSize:
        return QSize(260, ROW * len(STAGES))

    def set_values(self, timings_ms: dict[str, float]) -> None:
        self.values = {stage: timings_ms[stage] for stage in STAGES if stage in timings_ms}
        self.setAccessibleDescription(", ".join(f"{s} {format_ms(self.values.get(s))}" for s in STAGES))
        self.update()

    def set_percentiles(self, percentiles: dict[str, tuple[float, float, int]]) -> None:
        self.percentiles = dict(percentiles)
        self.update()

    def scale_ms(self) -> float:
        candidates = [*self.values.values(), *(p95 for s, (_p50, p95, _n) in self.percentiles.items()
                                               if s in STAGES)]
        return max([0.001, *candidates])

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        label_w = max(metrics.horizontalAdvance(s) for s in STAGES) + 8
        value_w = metrics.horizontalAdvance("0000 ms") + 6
        bar_w = max(10, self.width() - label_w - value_w - 6)
        scale = self.scale_ms()
        text = self.palette().color(QPalette.ColorRole.WindowText)
        muted = QColor(text)
        muted.setAlpha(110)
        for row, stage in enumerate(STAGES):
            top = row * ROW
            value = self.values.get(stage)
            painter.setPen(text if value is not None else muted)
            painter.drawText(QRectF(0, top, label_w, ROW), Qt.AlignmentFlag.AlignVCenter, stage)
            track = QRectF(label_w, top + ROW * 0.3, bar_w, ROW * 0.4)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.palette().color(QPalette.ColorRole.Midlight))
            painter.drawRoundedRect(track, 3, 3)
            if value is not None:
                painter.setBrush(QColor(COLOURS[stage]))
                painter.drawRoundedRect(QRectF(track.left(), track.top(), max(2.0, bar_w * value / scale),
                                               track.height()), 3, 3)
            if stage in self.percentiles:
                p50, p95, _n = self.percentiles[stage]
                painter.setPen(QPen(text, 1))
                for mark, height in ((p50, 0.5), (p95, 0.8)):
                    x = track.left() + bar_w * mark / scale
                    painter.drawLine(int(x), int(top + ROW * (1 - height) / 2), int(x),
                                     int(top + ROW * (1 + height) / 2))
            painter.setPen(text if value is not None else muted)
            painter.drawText(QRectF(label_w + bar_w + 6, top, value_w, ROW),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, format_ms(value))

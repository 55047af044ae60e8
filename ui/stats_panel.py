"""How fast and how costly the assistant is: the last request per stage, rolling p50/p95, energy, history.

Everything shown comes from the turn the core returned (timings, energy) and the core's rolling
statistics snapshot; the panel measures nothing itself, so it shows what the core recorded.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from assistant.results import Energy, Turn
from ui.latency_chart import LatencyChart
from ui.snapshots import StatsSnapshot
from ui.stage_bars import STAGES, StageBars, format_ms

MEASURED_SOURCES = {"rapl": "measured (RAPL)", "battery": "measured (battery)"}


def describe_energy(energy: Energy | None) -> str:
    """“12.3 mJ · measured (RAPL)”, “≈ 8.1 mJ · estimated”, or “—” when there is no figure."""
    if energy is None or energy.joules is None:
        suffix = f" ({energy.note})" if energy is not None and energy.note else ""
        return "—" + suffix
    millijoules = energy.joules * 1000
    amount = f"{millijoules:.1f} mJ" if millijoules < 1000 else f"{energy.joules:.2f} J"
    if energy.source in MEASURED_SOURCES:
        return f"{amount} · {MEASURED_SOURCES[energy.source]}"
    label = "estimated" if energy.source == "estimate" else energy.source
    return f"≈ {amount} · {label}"


class StatsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Statistics")
        self.heading = QLabel("No request yet")
        self.heading.setAccessibleName("Last request")
        self.heading.setWordWrap(True)
        self.bars = StageBars()
        self.energy = QLabel("—")
        self.energy.setAccessibleName("Energy of the last request")
        self.energy.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.rolling = QGridLayout()
        self.rolling.setHorizontalSpacing(12)
        self.rolling_cells: dict[str, tuple[QLabel, QLabel]] = {}
        for column, title in enumerate(("stage", "p50", "p95")):
            header = QLabel(f"<b>{title}</b>")
            self.rolling.addWidget(header, 0, column, Qt.AlignmentFlag.AlignRight if column else
                                   Qt.AlignmentFlag.AlignLeft)
        for row, stage in enumerate((*STAGES, "total"), start=1):
            name = QLabel(stage)
            p50, p95 = QLabel("—"), QLabel("—")
            for cell in (p50, p95):
                cell.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.rolling.addWidget(name, row, 0)
            self.rolling.addWidget(p50, row, 1)
            self.rolling.addWidget(p95, row, 2)
            self.rolling_cells[stage] = (p50, p95)
        self.samples = QLabel("")
        self.chart = LatencyChart()

        last = QGroupBox("Last request")
        last_layout = QVBoxLayout(last)
        last_layout.addWidget(self.heading)
        last_layout.addWidget(self.bars)
        energy_row = QFormLayout()
        energy_row.addRow("Energy:", self.energy)
        last_layout.addLayout(energy_row)
        rolling = QGroupBox("Rolling percentiles")
        rolling_layout = QVBoxLayout(rolling)
        rolling_layout.addLayout(self.rolling)
        rolling_layout.addWidget(self.samples)
        history = QGroupBox("History")
        history_layout = QVBoxLayout(history)
        history_layout.addWidget(self.chart)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(last)
        layout.addWidget(rolling)
        layout.addWidget(history)
        layout.addStretch(1)

    def show_turn(self, turn: Turn) -> None:
        timings = turn.timings_ms()
        total = timings.get("total")
        intent = ""
        if turn.parse is not None:
            intent = f"{turn.intent_for_slots or turn.parse.intent.name} · "
        self.heading.setText(f"{intent}{format_ms(total)} total" + (" (spoken)" if turn.transcript else ""))
        self.bars.set_values(timings)
        self.energy.setText(describe_energy(turn.energy))
        if turn.energy is not None and turn.energy.note:
            self.energy.setToolTip(turn.energy.note)
        if total is not None:
            self.chart.add(total)

    def show_stats(self, stats: StatsSnapshot) -> None:
        self.bars.set_percentiles(stats.percentiles)
        samples = 0
        for stage, (p50_label, p95_label) in self.rolling_cells.items():
            if stage in stats.percentiles:
                p50, p95, n = stats.percentiles[stage]
                p50_label.setText(format_ms(p50))
                p95_label.setText(format_ms(p95))
                samples = max(samples, n)
            else:
                p50_label.setText("—")
                p95_label.setText("—")
        self.samples.setText(f"over the last {samples} request{'s' if samples != 1 else ''}" if samples else "")

"""The stats panel: a bar per stage, rolling p50/p95, energy with its source (or —), and the latency chart."""

from __future__ import annotations

from dataclasses import replace

import pytest

pytest.importorskip("PySide6", reason="the window needs PySide6")

from assistant.results import Energy, Stage, StageTiming
from ui.snapshots import StatsSnapshot
from ui.stage_bars import STAGES, format_ms
from ui.stats_panel import StatsPanel, describe_energy


@pytest.fixture
def panel(qtbot):
    widget = StatsPanel()
    widget.resize(320, 600)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_the_last_request_gets_a_bar_per_stage_and_typed_text_has_no_audio(panel, make_assistant):
    turn = make_assistant().handle("set a timer for five minutes")
    panel.show_turn(turn)
    timings = turn.timings_ms()
    assert panel.bars.values == {s: timings[s] for s in STAGES if s in timings}
    assert "audio" not in panel.bars.values and "recognition" not in panel.bars.values
    assert panel.heading.text() == f"timer.start · {format_ms(timings['total'])} total"
    assert "audio —" in panel.bars.accessibleDescription()
    assert panel.chart.history[-1] == pytest.approx(timings["total"])
    assert not panel.grab().isNull()


def test_spoken_requests_show_audio_and_recognition_bars(panel, make_assistant):
    stages = (StageTiming(Stage.AUDIO, 4_000_000), StageTiming(Stage.RECOGNITION, 120_000_000))
    turn = make_assistant().handle("what time is it", stages=stages)
    panel.show_turn(turn)
    assert panel.bars.values["audio"] == pytest.approx(4.0)
    assert panel.bars.values["recognition"] == pytest.approx(120.0)
    assert panel.bars.scale_ms() >= 120.0


def test_rolling_percentiles_come_from_the_core_snapshot(panel):
    panel.show_stats(StatsSnapshot({"model": (2.0, 3.5, 12), "total": (4.0, 9.0, 12)}))
    assert panel.rolling_cells["model"][0].text() == "2.0 ms"
    assert panel.rolling_cells["total"][1].text() == "9.0 ms"
    assert panel.rolling_cells["audio"][0].text() == "—"
    assert panel.samples.text() == "over the last 12 requests"
    assert panel.bars.percentiles["model"] == (2.0, 3.5, 12)


@pytest.mark.parametrize(("energy", "shown"), [
    (None, "—"),
    (Energy(None, "rapl", "below the meter's resolution"), "— (below the meter's resolution)"),
    (Energy(0.0123, "rapl"), "12.3 mJ · measured (RAPL)"),
    (Energy(0.5, "battery"), "500.0 mJ · measured (battery)"),
    (Energy(0.0081, "estimate"), "≈ 8.1 mJ · estimated"),
    (Energy(2.5, "estimate"), "≈ 2.50 J · estimated"),
])
def test_energy_shows_its_source_or_a_dash(energy, shown):
    assert describe_energy(energy) == shown


def test_energy_of_a_turn_is_shown_when_present(panel, make_assistant):
    turn = make_assistant().handle("what time is it")
    panel.show_turn(replace(turn, energy=Energy(0.02, "rapl")))
    assert panel.energy.text() == "20.0 mJ · measured (RAPL)"
    panel.show_turn(replace(turn, energy=None))
    assert panel.energy.text() == "—"


def test_the_latency_chart_keeps_a_bounded_history(panel):
    for i in range(100):
        panel.chart.add(float(i))
    assert len(panel.chart.history) == 60 and panel.chart.history[-1] == 99.0
    assert "latest 99.0 ms" in panel.chart.accessibleDescription()
    assert not panel.chart.grab().isNull()

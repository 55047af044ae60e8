"""Per-request stats: rolling percentiles, the persistent log behind `assistant stats`, JSON output."""

from __future__ import annotations

import json

from assistant.cli.main import main
from assistant.results import Energy, Stage, StageTiming, Turn, TurnKind
from assistant.stats import StatsRecorder
from assistant.stats_log import StatsLog, latest_session, read_requests


def turn(ms: float, joules: float | None = 0.001) -> Turn:
    timings = (StageTiming(Stage.MODEL, int(ms * 1e6), joules), StageTiming(Stage.TOTAL, int(ms * 2e6)))
    return Turn("hi", TurnKind.ANSWER, "hello", timings=timings, energy=Energy(joules, "estimate", "test"))


def test_rolling_percentiles_follow_pipeline_order():
    recorder = StatsRecorder(window=3)
    for ms in (1, 2, 3, 100):
        recorder.record(turn(ms).timings, turn(ms).energy)
    stats = recorder.stage_percentiles()
    assert list(stats) == ["model", "total"]
    assert stats["model"][0] == 3.0 and stats["model"][2] == 3  # the window keeps the last three
    summary = recorder.energy_summary()
    assert summary.source == "estimate" and summary.requests == 3 and abs(summary.mean_j - 0.001) < 1e-12


def test_the_log_keeps_requests_per_session(tmp_path):
    path = tmp_path / "stats.sqlite3"
    first = StatsLog(path, session="one")
    first.append(turn(1))
    first.close()
    second = StatsLog(path, session="two")
    second.append(turn(2))
    second.append(turn(3, joules=None))
    second.close()
    assert latest_session(path) == "two"
    records = read_requests(path, "two")
    assert [r.stages_ms["model"] for r in records] == [2.0, 3.0]
    assert records[1].stages_j == {}
    assert len(read_requests(path)) == 3


def test_stats_command_reports_the_latest_session(home, capsys):
    log = StatsLog(home / "stats.sqlite3", session="s1")
    for ms in (1, 2, 3):
        log.append(turn(ms))
    log.close()
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("3 requests of session s1")
    assert "energy per request: 1.00 ± 0.00 mJ over 3 requests (source: estimate)" in out
    assert main(["stats", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["stages"]["model"]["p50_ms"] == 2.0 and data["energy"]["mean_mj"] == 1.0


def test_stats_command_reads_a_benchmark_result(tmp_path, capsys):
    result = tmp_path / "nlu.json"
    result.write_text(json.dumps({"measured": "now", "energy_source": "estimate", "energy_per_request": [
        {"model": "shipped", "sequence": 12, "p50_ms": 1.1, "mj_per_request": 8.5}]}))
    assert main(["stats", "--from", str(result)]) == 0
    assert "shipped" in capsys.readouterr().out


def test_dry_runs_leave_no_stats_behind(make_assistant, home):
    assistant = make_assistant()
    assistant.handle("what time is it", dry_run=True)
    assistant.close()
    assert not (home / "stats.sqlite3").exists()
    assistant = make_assistant()
    turn_ = assistant.handle("what time is it")
    assistant.close()
    assert turn_.energy is not None and turn_.energy.source in ("rapl", "battery", "estimate")
    assert read_requests(home / "stats.sqlite3")[0].intent == "clock.time"

"""Energy sources on fake sysfs trees in the kernel's formats: RAPL (wrap, permissions), batteries, estimate."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.energy.cpu_power import watts_per_core
from assistant.energy.meter import MIN_MEASURED_S, EnergyMeter
from assistant.energy.sources import Battery, BatterySource, EstimateSource, RaplSource, rapl_domains
from assistant.results import Stage
from assistant.timing import StageClock


def rapl_zone(root: Path, zone: str, name: str, energy_uj: int, max_uj: int = 262_143_328_850) -> Path:
    folder = root / zone
    folder.mkdir(parents=True)
    (folder / "name").write_text(name + "\n")
    (folder / "energy_uj").write_text(f"{energy_uj}\n")
    (folder / "max_energy_range_uj").write_text(f"{max_uj}\n")
    return folder


def set_energy(zone: Path, energy_uj: int) -> None:
    (zone / "energy_uj").write_text(f"{energy_uj}\n")


@pytest.fixture
def powercap(tmp_path):
    root = tmp_path / "powercap"
    package = rapl_zone(root, "intel-rapl:0", "package-0", 1_000_000)
    core = rapl_zone(package, "intel-rapl:0:0", "core", 500_000)
    dram = rapl_zone(package, "intel-rapl:0:1", "dram", 2_000_000)
    mmio = rapl_zone(root, "intel-rapl-mmio:0", "package-0", 9_000_000)
    return root, package, core, dram, mmio


def test_package_and_dram_are_counted_core_and_mmio_are_not(powercap):
    root, package, core, dram, _ = powercap
    domains, reason = rapl_domains(root)
    assert [d.name for d in domains] == ["package-0", "dram"] and reason is None
    source = RaplSource(domains)
    set_energy(package, 3_000_000)
    set_energy(core, 1_500_000)
    set_energy(dram, 2_500_000)
    assert source.joules() == pytest.approx(2.5)
    assert source.description == "RAPL package-0 + dram (measured)"


def test_a_wrapping_counter_keeps_counting_up(tmp_path):
    root = tmp_path / "powercap"
    package = rapl_zone(root, "intel-rapl:0", "package-0", 999_000, max_uj=1_000_000)
    source = RaplSource(rapl_domains(root)[0])
    set_energy(package, 500)  # wrapped: 999000 -> 1000000 -> 0 -> 500
    assert source.joules() == pytest.approx(1_501e-6)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_rapl_says_which_setting_allows_it(powercap):
    root, package, _, dram, _ = powercap
    (package / "energy_uj").chmod(0o000)
    (dram / "energy_uj").chmod(0o000)
    domains, reason = rapl_domains(root)
    assert domains == [] and "only root may read them" in reason and "chmod a+r" in reason


def test_unreadable_rapl_reason_without_root(powercap, monkeypatch):
    root, *_ = powercap
    real = Path.read_text

    def deny(self, *args, **kwargs):
        if self.name == "energy_uj":
            raise PermissionError(13, "Permission denied")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", deny)
    domains, reason = rapl_domains(root)
    assert domains == [] and "sudo chmod a+r /sys/class/powercap/intel-rapl:*/energy_uj" in reason
    meter = EnergyMeter.auto(powercap=root, power_supply=root / "none", cpu="Intel(R) Xeon(R) Gold 6230")
    assert meter.source.name == "estimate" and "only root" in meter.note


def battery(root: Path, status: str, **values: int) -> Path:
    folder = root / "BAT0"
    folder.mkdir(parents=True)
    (folder / "type").write_text("Battery\n")
    (folder / "status").write_text(status + "\n")
    for name, value in values.items():
        (folder / name).write_text(f"{value}\n")
    (root / "AC").mkdir()
    (root / "AC" / "type").write_text("Mains\n")
    return folder


def test_battery_power_from_power_now_or_current_times_voltage(tmp_path):
    a = Battery(battery(tmp_path / "a", "Discharging", power_now=12_500_000))
    assert a.power_w() == pytest.approx(12.5)
    b = Battery(battery(tmp_path / "b", "Discharging", current_now=1_000_000, voltage_now=11_400_000))
    assert b.power_w() == pytest.approx(11.4)


def test_battery_energy_integrates_power_over_time(tmp_path):
    folder = battery(tmp_path, "Discharging", power_now=10_000_000)
    now = [0.0]
    source = BatterySource(Battery(folder), clock=lambda: now[0])
    now[0] = 2.0
    (folder / "power_now").write_text("20000000\n")
    assert source.joules() == pytest.approx(30.0)  # trapezoid: (10 W + 20 W) / 2 * 2 s


def test_the_meter_uses_the_battery_only_while_discharging(tmp_path):
    battery(tmp_path / "charging", "Charging", power_now=5_000_000)
    meter = EnergyMeter.auto(powercap=tmp_path / "none", power_supply=tmp_path / "charging", cpu="")
    assert meter.source.name == "estimate"
    battery(tmp_path / "discharging", "Discharging", power_now=5_000_000)
    meter = EnergyMeter.auto(powercap=tmp_path / "none", power_supply=tmp_path / "discharging", cpu="")
    assert meter.source.name == "battery" and meter.measured


def test_rapl_wins_when_readable(powercap, tmp_path):
    root, *_ = powercap
    meter = EnergyMeter.auto(powercap=root, power_supply=tmp_path / "none")
    assert meter.source.name == "rapl"


def test_measured_requests_count_the_increment_over_idle(powercap):
    root, *_ = powercap
    meter = EnergyMeter(RaplSource(rapl_domains(root)[0]))
    # request 1: 0.1 s, 1 J; then 1 s idle at 5 W; request 2: 0.2 s, 3 J of which 1 J is idle
    first = meter.request(0.0, 1.0, 10.0, 10.1)
    assert first.joules == pytest.approx(1.0) and first.source == "rapl"
    second = meter.request(6.0, 9.0, 11.1, 11.3)
    assert second.joules == pytest.approx(2.0)
    assert "increment over 5.0 W idle" in second.note


def test_short_requests_get_no_single_figure_but_a_session_aggregate(powercap):
    root, *_ = powercap
    meter = EnergyMeter(RaplSource(rapl_domains(root)[0]))
    figures = [0.010, 0.012, 0.008, 0.011]
    t = 100.0
    for joules in figures:
        energy = meter.request(0.0, joules, t, t + MIN_MEASURED_S / 10)
        assert energy.joules is None and "below the rapl meter's resolution" in energy.note
        t += 0.1
    aggregate = meter.short_requests()
    assert aggregate.requests == 4 and aggregate.mean_j == pytest.approx(0.01025)
    assert aggregate.spread_j == pytest.approx(0.0017078, rel=1e-3)


def test_estimate_is_cpu_time_times_power_and_says_so():
    cpu = [10.0]
    source = EstimateSource(7.5, "Intel Xeon server", cpu_seconds=lambda: cpu[0])
    cpu[0] = 10.2
    assert source.joules() == pytest.approx(1.5)
    energy = EnergyMeter(source).request(0.0, 1.5, 0.0, 0.3)
    assert energy.joules == pytest.approx(1.5) and energy.source == "estimate"
    assert "estimate" in energy.note


@pytest.mark.parametrize(("model", "watts"), [
    ("Intel(R) Core(TM) i7-1165G7 @ 2.80GHz", 3.8),
    ("Intel(R) Core(TM) i7-10750H CPU @ 2.60GHz", 5.6),
    ("Intel(R) Core(TM) i7-8700K CPU @ 3.70GHz", 10.8),
    ("Intel(R) Xeon(R) Processor", 7.5),
    ("AMD Ryzen 7 5800U with Radeon Graphics", 3.1),
    ("AMD Ryzen 9 5900X 12-Core Processor", 10.8),
    ("Mystery CPU 3000", 6.0),
])
def test_power_per_core_from_the_cpu_model(model, watts):
    assert watts_per_core(model)[0] == watts


def test_the_user_can_set_the_power_figure(monkeypatch):
    assert watts_per_core("Intel(R) Xeon(R)", 4.2) == (4.2, "set by the user")
    monkeypatch.setenv("ASSISTANT_WATTS_PER_CORE", "3.3")
    assert watts_per_core("Intel(R) Xeon(R)") == (3.3, "set by the user")


def test_stage_clock_attributes_energy_to_stages():
    cpu = [0.0]
    meter = EnergyMeter(EstimateSource(10.0, "test", cpu_seconds=lambda: cpu[0]))
    clock = StageClock(meter=meter)
    with clock.measure(Stage.MODEL):
        cpu[0] += 0.002
    with clock.measure(Stage.HANDLER):
        cpu[0] += 0.001
    timings = {t.stage: t.joules for t in clock.timings()}
    assert timings[Stage.MODEL] == pytest.approx(0.02) and timings[Stage.HANDLER] == pytest.approx(0.01)
    assert clock.energy().joules == pytest.approx(0.03)

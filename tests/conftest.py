"""Shared helpers for the plugin tests: writing small temporary plugins."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# The machines that run the suite are shared and often busy: timing-based Hypothesis checks would
# fail on load, not on a bug. Properties are still checked on every generated input.
settings.register_profile("shared-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("shared-machine")

# Qt widgets render offscreen in tests (no display needed); the Xvfb screenshot test sets its own.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def write_plugin(tmp_path: Path, yaml_text: str, handlers_text: str | None = None,
                 name: str = "demo", folder: str = "plugins") -> Path:
    """Write ``<tmp_path>/<folder>/<name>/intents.yaml`` (and ``handlers.py``); return the plugin folder.

    Both texts are dedented, so tests can indent them naturally.
    """
    plugin = tmp_path / folder / name
    plugin.mkdir(parents=True, exist_ok=True)
    (plugin / "intents.yaml").write_text(textwrap.dedent(yaml_text), encoding="utf-8")
    if handlers_text is not None:
        (plugin / "handlers.py").write_text(textwrap.dedent(handlers_text), encoding="utf-8")
    return plugin


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the only line of ``text`` (dedented) that contains ``needle``."""
    lines = [number for number, line in enumerate(textwrap.dedent(text).splitlines(), 1) if needle in line]
    assert len(lines) == 1, f"{needle!r} should occur on exactly one line, found {lines}"
    return lines[0]


@pytest.fixture(name="write_plugin")
def write_plugin_fixture(tmp_path: Path):
    """``write_plugin(yaml_text, handlers_text=None, name="demo")`` bound to this test's tmp_path."""

    def write(yaml_text: str, handlers_text: str | None = None, name: str = "demo",
              folder: str = "plugins") -> Path:
        return write_plugin(tmp_path, yaml_text, handlers_text, name=name, folder=folder)

    return write


@pytest.fixture(name="line_of")
def line_of_fixture():
    """The :func:`line_of` helper, as a fixture so test modules need not import conftest."""
    return line_of


SHIPPED_MODEL = Path(__file__).resolve().parents[1] / "resources" / "model"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh user data directory (``ASSISTANT_HOME``) for this test."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("ASSISTANT_HOME", str(folder))
    return folder


@pytest.fixture(scope="session")
def shipped_nlu():
    """The shipped model, loaded once for the whole session."""
    from assistant.nlu.runtime import NluModel

    return NluModel(SHIPPED_MODEL)


@pytest.fixture
def make_assistant(home: Path, shipped_nlu):
    """``make_assistant(now=None)``: an engine on the shipped model and the built-in plugins, in ``home``."""
    from assistant.engine import Assistant, Options
    from assistant.plugins.registry import PluginRegistry

    made = []
    registry = PluginRegistry.discover(None)

    def make(now=None, run_scheduler: bool = False):
        options = Options(data_dir=home, user_plugins=False, run_scheduler=run_scheduler)
        assistant = Assistant(registry, shipped_nlu, options, now=now)
        made.append(assistant)
        return assistant

    yield make
    for assistant in made:
        assistant.close()

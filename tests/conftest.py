"""Shared helpers for the plugin tests: writing small temporary plugins."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest


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

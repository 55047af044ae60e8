"""The README's first command, on a clean copy: it sets up a fresh virtual environment and, without a
display, starts the terminal chat."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.egg-info", ".pytest_cache", ".mypy_cache",
                                ".ruff_cache", ".hypothesis")


@pytest.mark.slow
def test_start_sh_sets_up_a_clean_venv_and_chats_in_the_terminal(tmp_path):
    readme = (ROOT / "README.md").read_text()
    assert "./start.sh" in readme and "./test.sh" in readme
    copy = tmp_path / "checkout"
    shutil.copytree(ROOT, copy, ignore=IGNORE)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "VIRTUAL_ENV")}
    env["ASSISTANT_HOME"] = str(tmp_path / "home")
    env["PATH"] = ":".join(p for p in env.get("PATH", "").split(":") if ".venv" not in p)
    result = subprocess.run(["./start.sh"], cwd=copy, input="what time is it\nset a timer for two minutes\nquit\n",
                            capture_output=True, text=True, env=env, timeout=1500, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (copy / ".venv" / "bin" / "assistant").exists()
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Hi! I'm ready")
    assert lines[1].startswith("It's ")
    assert lines[2].startswith("Timer set for 2 minutes")
    assert "Traceback" not in result.stderr

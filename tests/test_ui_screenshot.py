"""The screenshot script renders the real window under Xvfb. Every run proves it still works; with
UPDATE_SCREENSHOT=1 the run also refreshes docs/screenshot.png (otherwise a test run would leave the
checkout modified: antialiasing differs by a few bytes between machines)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6", reason="the window needs PySide6")

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOT = ROOT / "docs" / "screenshot.png"


@pytest.mark.skipif(shutil.which("Xvfb") is None and not os.environ.get("DISPLAY"),
                    reason="rendering the real window needs a display or Xvfb (apt install xvfb)")
def test_the_screenshot_script_renders_the_real_window_with_a_conversation(tmp_path):
    from PySide6.QtGui import QImage

    output = SCREENSHOT if os.environ.get("UPDATE_SCREENSHOT") == "1" else tmp_path / "screenshot.png"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    done = subprocess.run([sys.executable, "-m", "ui.screenshot", "--output", str(output)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    image = QImage(str(output))
    assert (image.width(), image.height()) == (1180, 720)
    colours = {image.pixel(x, y) for x in range(0, image.width(), 37) for y in range(0, image.height(), 23)}
    assert len(colours) > 20  # bubbles, highlights and charts, not a blank frame

"""docs/screenshot.png is rendered from the real window under Xvfb on every test run, so it never goes stale."""

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
def test_the_screenshot_script_renders_the_real_window_with_a_conversation():
    from PySide6.QtGui import QImage

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    done = subprocess.run([sys.executable, "-m", "ui.screenshot", "--output", str(SCREENSHOT)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    image = QImage(str(SCREENSHOT))
    assert (image.width(), image.height()) == (1180, 720)
    colours = {image.pixel(x, y) for x in range(0, image.width(), 37) for y in range(0, image.height(), 23)}
    assert len(colours) > 20  # bubbles, highlights and charts, not a blank frame

"""Logging: everything to a rotating file in the user's data directory, problems to stderr."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from assistant.paths import ensure, log_dir


def setup_logging(verbose: bool = False, console_level: int = logging.ERROR) -> Path:
    folder = ensure(log_dir())
    path = folder / "assistant.log"
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for handler in list(root.handlers):
        root.removeHandler(handler)
    file_handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(file_handler)
    console = logging.StreamHandler()
    console.setLevel(logging.DEBUG if verbose else console_level)
    console.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    root.addHandler(console)
    return path

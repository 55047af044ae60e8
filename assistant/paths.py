"""Where things live: the shipped resources, and the user's data (plugins, models, databases, logs).

``ASSISTANT_HOME`` overrides the user data directory (tests and portable installs use it).
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "desk-assistant"


def resources_dir() -> Path:
    """The repository's ``resources/`` folder (model, tokenizer, icons)."""
    return Path(__file__).resolve().parent.parent / "resources"


def shipped_model_dir() -> Path:
    return resources_dir() / "model"


def data_dir() -> Path:
    override = os.environ.get("ASSISTANT_HOME")
    if override:
        path = Path(override).expanduser()
    else:
        from platformdirs import user_data_path

        path = user_data_path(APP_NAME, appauthor=False)
    return path


def user_plugins_dir() -> Path:
    return data_dir() / "plugins"


def user_model_dir() -> Path:
    return data_dir() / "model"


def log_dir() -> Path:
    return data_dir() / "logs"


def ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path

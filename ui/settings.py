"""The window's settings, stored with QSettings, as one typed value object.

With ``ASSISTANT_HOME`` set (portable installs, tests, benchmarks) the settings live in an ini
file inside it, so a throw-away home never reads or writes the user's real settings.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from assistant.engine import Options
from assistant.paths import data_dir
from ui.theme import ThemeMode
from ui.voice_session import VoiceConfig

ORGANISATION = "desk-assistant"
APPLICATION = "desk-assistant"
SPEECH_ENGINES = ("auto", "vosk", "pocketsphinx")


@dataclass(frozen=True)
class Settings:
    theme: ThemeMode = ThemeMode.SYSTEM
    model_dir: str = ""
    """Language model folder; empty picks the best match for the plugins."""
    threads: int = 1
    threshold: float | None = None
    """Out-of-scope threshold; None uses the model card's."""
    speech_engine: str = "auto"
    speech_model_dir: str = ""
    hold_key: str = "F9"
    quick_retrain: bool = False
    disabled_plugins: tuple[str, ...] = field(default=())

    def engine_options(self, user_plugins: bool = True) -> Options:
        return Options(data_dir=data_dir(), model_dir=Path(self.model_dir) if self.model_dir else None,
                       threads=self.threads, threshold=self.threshold,
                       disabled_plugins=frozenset(self.disabled_plugins), user_plugins=user_plugins)

    def voice_config(self) -> VoiceConfig:
        return VoiceConfig(engine=None if self.speech_engine == "auto" else self.speech_engine,
                           model_dir=Path(self.speech_model_dir) if self.speech_model_dir else None)

    def with_plugin(self, name: str, enabled: bool) -> Settings:
        disabled = set(self.disabled_plugins)
        (disabled.discard if enabled else disabled.add)(name)
        return replace(self, disabled_plugins=tuple(sorted(disabled)))


def _bool(value: Any) -> bool:
    return value in (True, "true", "1", 1)


class SettingsStore:
    """Reads and writes :class:`Settings` (and the window geometry) through one ``QSettings``."""

    def __init__(self, qsettings: QSettings) -> None:
        self.qsettings = qsettings

    @classmethod
    def default(cls) -> SettingsStore:
        if os.environ.get("ASSISTANT_HOME"):
            return cls.at(data_dir() / "settings.ini")
        return cls(QSettings(ORGANISATION, APPLICATION))

    @classmethod
    def at(cls, path: Path) -> SettingsStore:
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    def load(self) -> Settings:
        s, d = self.qsettings, Settings()
        try:
            theme = ThemeMode(str(s.value("appearance/theme", d.theme.value)))
        except ValueError:
            theme = d.theme
        threshold = s.value("engine/threshold", "")
        disabled = s.value("plugins/disabled", [])
        if not disabled:
            disabled = []
        elif isinstance(disabled, str):
            disabled = [disabled]
        try:
            threads = max(1, int(s.value("engine/threads", d.threads)))  # type: ignore[call-overload]
        except (TypeError, ValueError):
            threads = d.threads
        engine = str(s.value("speech/engine", d.speech_engine))
        return Settings(
            theme=theme, model_dir=str(s.value("engine/model_dir", "")), threads=threads,
            threshold=_float_or_none(threshold),
            speech_engine=engine if engine in SPEECH_ENGINES else d.speech_engine,
            speech_model_dir=str(s.value("speech/model_dir", "")),
            hold_key=str(s.value("speech/hold_key", d.hold_key)) or d.hold_key,
            quick_retrain=_bool(s.value("model/quick_retrain", d.quick_retrain)),
            disabled_plugins=tuple(sorted(str(x) for x in disabled)),  # type: ignore[attr-defined]
        )

    def save(self, settings: Settings) -> None:
        s = self.qsettings
        s.setValue("appearance/theme", settings.theme.value)
        s.setValue("engine/model_dir", settings.model_dir)
        s.setValue("engine/threads", settings.threads)
        s.setValue("engine/threshold", "" if settings.threshold is None else settings.threshold)
        s.setValue("speech/engine", settings.speech_engine)
        s.setValue("speech/model_dir", settings.speech_model_dir)
        s.setValue("speech/hold_key", settings.hold_key)
        s.setValue("model/quick_retrain", settings.quick_retrain)
        s.setValue("plugins/disabled", list(settings.disabled_plugins))
        s.sync()

    def geometry(self) -> QByteArray | None:
        value = self.qsettings.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def save_geometry(self, geometry: QByteArray) -> None:
        self.qsettings.setValue("window/geometry", geometry)
        self.qsettings.sync()


def _float_or_none(value: Any) -> float | None:
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None

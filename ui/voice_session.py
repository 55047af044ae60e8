"""Finding a voice session: the speech pipeline when it is installed, else an honest "unavailable".

The window only knows the :class:`~assistant.speech.session.VoiceSession` contract. The real
pipeline lives in ``assistant.speech.pipeline`` (``open_session``); until it exists, or when it
cannot open a microphone or a speech model, the window gets an :class:`UnavailableSession` whose
reason it shows, instead of a button that silently does nothing.
"""

from __future__ import annotations

import importlib
import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.speech.session import VoiceEvents, VoiceSession, VoiceState

log = logging.getLogger(__name__)

PIPELINE_MODULE = "assistant.speech.pipeline"
FACTORY_NAMES = ("open_session", "create_session")


@dataclass(frozen=True)
class VoiceConfig:
    """What the settings say about speech; passed to the pipeline's factory when it accepts it."""

    engine: str | None = None
    model_dir: Path | None = None


class UnavailableSession:
    """A session that never listens and says why (no pipeline, no microphone, no speech model)."""

    def __init__(self, reason: str) -> None:
        self.events = VoiceEvents()
        self._reason = reason

    @property
    def state(self) -> VoiceState:
        return VoiceState.UNAVAILABLE

    @property
    def unavailable_reason(self) -> str | None:
        return self._reason

    def start(self) -> None:
        """Nothing to start: the reason is already on screen."""

    def stop(self) -> None:
        """Nothing to stop."""

    def close(self) -> None:
        """Nothing to release."""


SessionFactory = Callable[[VoiceConfig], VoiceSession]


def _call_factory(factory: Callable[..., Any], config: VoiceConfig) -> Any:
    """Pass only the settings the pipeline's factory declares (it may take none)."""
    offered = {"engine": config.engine, "model_dir": config.model_dir}
    try:
        parameters = inspect.signature(factory).parameters
    except (TypeError, ValueError):
        return factory()
    accepts_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    kwargs = {k: v for k, v in offered.items() if v is not None and (accepts_any or k in parameters)}
    return factory(**kwargs)


def open_voice_session(config: VoiceConfig) -> VoiceSession:
    """The real session if the speech pipeline is installed and opens, else an :class:`UnavailableSession`.

    Slow (it may load a speech model), so the window calls it off the GUI thread.
    """
    try:
        module = importlib.import_module(PIPELINE_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name and PIPELINE_MODULE.startswith(exc.name):
            return UnavailableSession("Voice input is not installed yet: this version has no speech engine.")
        return UnavailableSession(f"Voice input needs the Python package “{exc.name}”; install it and restart.")
    except Exception as exc:  # a broken pipeline must not take the window down
        log.exception("the speech pipeline failed to import")
        return UnavailableSession(f"The speech engine failed to load: {exc}")
    factory = next((getattr(module, n) for n in FACTORY_NAMES if callable(getattr(module, n, None))), None)
    if factory is None:
        return UnavailableSession(f"The speech engine ({PIPELINE_MODULE}) has no {FACTORY_NAMES[0]}().")
    try:
        session: VoiceSession = _call_factory(factory, config)
    except Exception as exc:
        log.warning("voice session unavailable: %s", exc)
        return UnavailableSession(f"Voice input is unavailable: {exc}")
    return session

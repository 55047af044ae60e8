"""The project's exceptions: a small hierarchy so callers can catch by kind."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class AssistantError(Exception):
    """Base of every error the assistant raises on purpose."""


@dataclass(frozen=True)
class SourceLocation:
    """Where in a plugin's files a problem is: file, 1-based line, and the intent if known."""

    file: Path | str
    line: int | None = None
    intent: str | None = None

    def __str__(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}"
        if self.intent:
            where += f" (intent {self.intent})"
        return where


class PluginError(AssistantError):
    """A plugin cannot be loaded: bad YAML, unknown keys, broken annotations, bad handlers.

    When a file has several problems they are all in ``problems`` (this error is the first).
    """

    def __init__(self, message: str, location: SourceLocation | None = None,
                 problems: tuple[PluginError, ...] = ()) -> None:
        self.message = message
        self.location = location
        self.problems: tuple[PluginError, ...] = problems or (self,)
        super().__init__(f"{location}: {message}" if location else message)

    def __str__(self) -> str:
        return "\n".join(p.single_line() for p in self.problems)

    def single_line(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class ValueParseError(AssistantError):
    """A slot's words could not be turned into a value of its type ("banana minutes")."""


class InputError(AssistantError):
    """The user's input cannot be understood at all (empty, no words)."""


class ModelError(AssistantError):
    """The NLU model is missing, unreadable or does not fit the installed plugins."""


class DataFormatError(AssistantError):
    """A labelled data set (BIO, CLINC JSON, plugin examples) is malformed."""


class TrainingError(AssistantError):
    """Training cannot start or failed (missing extras, no data, cancelled)."""


class HandlerError(AssistantError):
    """A plugin handler raised or ran past its time limit."""


class SpeechError(AssistantError):
    """Speech recognition cannot run: engine missing, model missing or broken, grammar unusable."""


class AudioDeviceError(SpeechError):
    """No usable microphone: PortAudio missing, no input device, or the device refused the format."""


class ModelDownloadError(SpeechError):
    """A speech model could not be downloaded or unpacked (offline, bad checksum, disk full)."""
